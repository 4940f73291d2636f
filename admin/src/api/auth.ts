import { http } from './http.ts';
import type { BodyOf, Schema } from './types.ts';

/** What login, /auth/me and switch-tenant return. `areaScope: null` = the whole tenant. */
export type Session = Schema<'Session'>;
export type SessionUser = Session['user'];
export type SessionTenant = NonNullable<Session['tenant']>;
export type LoginInput = BodyOf<'/auth/login', 'post'>;

export const authApi = {
  login: (input: LoginInput) => http.post<Session>('/auth/login', input),
  logout: () => http.post<void>('/auth/logout'),
  me: () => http.get<Session>('/auth/me'),
  switchTenant: (tenantId: string) => http.post<Session>('/auth/switch-tenant', { tenantId }),
};
