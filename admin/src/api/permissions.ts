import { http } from './http.ts';

export interface Permission {
  key: string;
  group: string;
  kind: 'menu' | 'action' | 'api';
  title: Record<string, string>;
}

export const permissionsApi = {
  list: () => http.get<{ items: Permission[] }>('/permissions'),
};
