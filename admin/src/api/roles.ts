import { http } from './http.ts';
import type { BodyOf, ReplyOf, Schema } from './types.ts';

export type Role = Schema<'Role'>;
export type RoleInput = BodyOf<'/roles', 'post'>;
export type RolePatch = BodyOf<'/roles/{id}', 'patch'>;

const one = (id: string) => `/roles/${encodeURIComponent(id)}`;

export const rolesApi = {
  list: () => http.get<ReplyOf<'/roles'>>('/roles'),
  create: (input: RoleInput) => http.post<Role>('/roles', input),
  update: (id: string, patch: RolePatch) => http.patch<Role>(one(id), patch),
  remove: (id: string) => http.del(one(id)),
};
