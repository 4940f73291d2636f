import { http } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

export type User = Schema<'User'>;
export type UserStatus = User['status'];
export type UserCreate = BodyOf<'/users', 'post'>;
export type UserPatch = BodyOf<'/users/{id}', 'patch'>;
export type UserQuery = QueryOf<'/users'>;

const one = (id: string) => `/users/${encodeURIComponent(id)}`;

export const usersApi = {
  list: (query: UserQuery) => http.get<ReplyOf<'/users'>>('/users', { ...query }),
  get: (id: string) => http.get<User>(one(id)),
  create: (input: UserCreate) => http.post<User>('/users', input),
  update: (id: string, patch: UserPatch) => http.patch<User>(one(id), patch),
  remove: (id: string) => http.del(one(id)),
};
