import { http } from './http.ts';
import type { QueryOf, ReplyOf, Schema } from './types.ts';

/** A tenant's custom field of one entity, as the forms render it. */
export type CustomFieldDef = Schema<'CustomField'>;
export type CustomFieldEntity = QueryOf<'/custom-fields'>['entity'];
export type CustomFieldType = CustomFieldDef['type'];
/** A value the forms send for a custom field. */
export type CustomValue = string | number | boolean | null;

export const customFieldDefsApi = {
  list: (entity: CustomFieldEntity) => http.get<ReplyOf<'/custom-fields'>>('/custom-fields', { entity }),
};
