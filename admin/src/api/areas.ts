import { http } from './http.ts';
import type { BodyOf, ReplyOf, Schema } from './types.ts';

export const AREA_KINDS = ['company', 'branch', 'community', 'campus', 'building', 'unit', 'other'] as const;
export type Area = Schema<'Area'>;
export type AreaKind = Area['kind'];
export type AreaCreate = BodyOf<'/areas', 'post'>;
export type AreaPatch = BodyOf<'/areas/{id}', 'patch'>;

const one = (id: string) => `/areas/${encodeURIComponent(id)}`;

export const areasApi = {
  list: () => http.get<ReplyOf<'/areas'>>('/areas'),
  create: (input: AreaCreate) => http.post<Area>('/areas', input),
  update: (id: string, patch: AreaPatch) => http.patch<Area>(one(id), patch),
  remove: (id: string) => http.del(one(id)),
};
