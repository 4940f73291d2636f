import { http } from './http.ts';

export interface Permission {
  key: string;
  group: string;
  kind: 'menu' | 'action' | 'api';
  title: Record<string, string>;
}

export const permissionsApi = {
  /** `items` can be granted to roles; `operator` are held by platform operators only. */
  list: () => http.get<{ items: Permission[]; operator?: Permission[] }>('/permissions'),
};
