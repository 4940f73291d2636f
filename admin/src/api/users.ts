import { http, type Page } from './http.ts';

export type UserStatus = 'active' | 'disabled';

export interface User {
  id: string;
  username: string;
  displayName: string;
  status: UserStatus;
  roleIds: string[];
  areaIds: string[];
  createdAt: string;
  lastLoginAt: string | null;
}

export interface UserCreate {
  username: string;
  displayName: string;
  password: string;
  roleIds: string[];
  areaIds: string[];
}

export type UserPatch = Partial<Omit<UserCreate, 'username'>> & { status?: UserStatus };

export interface UserQuery {
  page: number;
  pageSize: number;
  q?: string;
}

const one = (id: string) => `/users/${encodeURIComponent(id)}`;

export const usersApi = {
  list: (query: UserQuery) => http.get<Page<User>>('/users', { ...query }),
  get: (id: string) => http.get<User>(one(id)),
  create: (input: UserCreate) => http.post<User>('/users', input),
  update: (id: string, patch: UserPatch) => http.patch<User>(one(id), patch),
  remove: (id: string) => http.del(one(id)),
};
