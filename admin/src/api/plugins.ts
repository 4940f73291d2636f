import type { JsonSchema } from '../utils/json-schema.ts';
import { http } from './http.ts';

export type PluginKind = 'meter-type' | 'transport' | 'payment' | 'notifier';
export type PluginStatus = 'running' | 'failed' | 'disabled' | 'stopped';

export interface PluginItem {
  id: string;
  kind: PluginKind;
  version: string;
  apiVersion: string | number;
  title: Record<string, string>;
  dependsOn: string[];
  status: PluginStatus;
  health: { ok: boolean; detail?: unknown };
  error?: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  settingsSchema: JsonSchema;
}

export const pluginsApi = {
  list: () => http.get<{ items: PluginItem[] }>('/plugins'),
  saveTenant: (id: string, body: { enabled: boolean; settings: Record<string, unknown> }) =>
    http.put<PluginItem>(`/plugins/${encodeURIComponent(id)}/tenant`, body),
};
