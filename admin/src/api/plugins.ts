import type { JsonSchema } from '../utils/json-schema.ts';
import { http } from './http.ts';
import type { BodyOf, Schema } from './types.ts';

type PluginSchema = Schema<'Plugin'>;
export type PluginKind = PluginSchema['kind'];
export type PluginStatus = PluginSchema['status'];
/** A plugin as listed; its settings schema is a JSON Schema the admin renders as a form. */
export type PluginItem = Omit<PluginSchema, 'settingsSchema'> & { settingsSchema: JsonSchema };
export type PluginTenantInput = BodyOf<'/plugins/{id}/tenant', 'put'>;

export const pluginsApi = {
  list: () => http.get<{ items: PluginItem[] }>('/plugins'),
  saveTenant: (id: string, body: PluginTenantInput) =>
    http.put<PluginItem>(`/plugins/${encodeURIComponent(id)}/tenant`, body),
};
