import { http } from './http.ts';
import type { BodyOf, ReplyOf, Schema } from './types.ts';

export const CUSTOM_FIELD_ENTITIES = ['customer', 'account', 'meter', 'collector', 'concentrator'] as const;
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'select', 'boolean'] as const;

export type CustomField = Schema<'CustomField'>;
export type CustomFieldEntity = CustomField['entity'];
export type CustomFieldType = CustomField['type'];
/** A value the forms send for a custom field. */
export type CustomValue = string | number | boolean | null;
export type CustomFieldInput = BodyOf<'/custom-fields', 'post'>;
export type CustomFieldPatch = BodyOf<'/custom-fields/{entity}/{key}', 'patch'>;

const one = (entity: CustomFieldEntity, key: string) =>
  `/custom-fields/${encodeURIComponent(entity)}/${encodeURIComponent(key)}`;

export const customFieldsApi = {
  list: (entity: CustomFieldEntity) => http.get<ReplyOf<'/custom-fields'>>('/custom-fields', { entity }),
  create: (input: CustomFieldInput) => http.post<CustomField>('/custom-fields', input),
  update: (entity: CustomFieldEntity, key: string, patch: CustomFieldPatch) =>
    http.patch<CustomField>(one(entity, key), patch),
  remove: (entity: CustomFieldEntity, key: string) => http.del(one(entity, key)),
};
