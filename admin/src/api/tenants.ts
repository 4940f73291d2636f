import { http } from './http.ts';

export type TenantStatus = 'active' | 'suspended';

export interface Tenant {
  id: string;
  code: string;
  name: string;
  status: TenantStatus;
  createdAt: string;
}

export interface TenantCreate {
  code: string;
  name: string;
  adminUsername: string;
  adminPassword: string;
}

export const tenantsApi = {
  list: () => http.get<{ items: Tenant[]; total: number }>('/tenants'),
  create: (input: TenantCreate) => http.post<Tenant>('/tenants', input),
  update: (id: string, patch: { name?: string; status?: TenantStatus }) =>
    http.patch<Tenant>(`/tenants/${encodeURIComponent(id)}`, patch),
};
