import { http } from './http.ts';

export interface Role {
  id: string;
  name: string;
  description: string;
  permissions: string[];
  builtin: boolean;
  /** Which built-in role this is (`admin`, `reader`, `cashier`); null for a custom role. */
  builtinKey: string | null;
}

export interface RoleInput {
  name: string;
  description?: string;
  permissions: string[];
}

const one = (id: string) => `/roles/${encodeURIComponent(id)}`;

export const rolesApi = {
  list: () => http.get<{ items: Role[]; total: number }>('/roles'),
  create: (input: RoleInput) => http.post<Role>('/roles', input),
  update: (id: string, patch: Partial<RoleInput>) => http.patch<Role>(one(id), patch),
  remove: (id: string) => http.del(one(id)),
};
