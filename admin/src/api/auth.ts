import { http } from './http.ts';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  locale: string;
  isOperator: boolean;
}

export interface SessionTenant {
  id: string;
  code: string;
  name: string;
}

/** What login, /auth/me and switch-tenant return. `areaScope: null` = the whole tenant. */
export interface Session {
  user: SessionUser;
  tenant: SessionTenant | null;
  permissions: string[];
  areaScope: string[] | null;
  csrfToken: string;
}

export interface LoginInput {
  tenant: string;
  username: string;
  password: string;
}

export const authApi = {
  login: (input: LoginInput) => http.post<Session>('/auth/login', input),
  logout: () => http.post<void>('/auth/logout'),
  me: () => http.get<Session>('/auth/me'),
  switchTenant: (tenantId: string) => http.post<Session>('/auth/switch-tenant', { tenantId }),
};
