import { http } from './http.ts';

export const AREA_KINDS = ['company', 'branch', 'community', 'campus', 'building', 'unit', 'other'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

export interface Area {
  id: string;
  parentId: string | null;
  name: string;
  kind: AreaKind;
  sort: number;
  path: string[];
}

export interface AreaCreate {
  parentId: string | null;
  name: string;
  kind: AreaKind;
}

export type AreaPatch = Partial<{ name: string; kind: AreaKind; parentId: string | null; sort: number }>;

const one = (id: string) => `/areas/${encodeURIComponent(id)}`;

export const areasApi = {
  list: () => http.get<{ items: Area[] }>('/areas'),
  create: (input: AreaCreate) => http.post<Area>('/areas', input),
  update: (id: string, patch: AreaPatch) => http.patch<Area>(one(id), patch),
  remove: (id: string) => http.del(one(id)),
};
