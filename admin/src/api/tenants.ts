import { http } from './http.ts';
import type { BodyOf, ReplyOf, Schema } from './types.ts';

export type Tenant = Schema<'Tenant'>;
export type TenantStatus = Tenant['status'];
export type TenantCreate = BodyOf<'/tenants', 'post'>;
export type TenantPatch = BodyOf<'/tenants/{id}', 'patch'>;

export const tenantsApi = {
  list: () => http.get<ReplyOf<'/tenants'>>('/tenants'),
  create: (input: TenantCreate) => http.post<Tenant>('/tenants', input),
  update: (id: string, patch: TenantPatch) => http.patch<Tenant>(`/tenants/${encodeURIComponent(id)}`, patch),
};
