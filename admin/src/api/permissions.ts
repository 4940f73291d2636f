import { http } from './http.ts';
import type { ReplyOf, Schema } from './types.ts';

export type Permission = Schema<'Permission'>;

export const permissionsApi = {
  /** `items` can be granted to roles; `operator` are held by platform operators only. */
  list: () => http.get<ReplyOf<'/permissions'>>('/permissions'),
};
