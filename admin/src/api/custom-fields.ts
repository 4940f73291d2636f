import { http } from './http.ts';

export const CUSTOM_FIELD_ENTITIES = ['customer', 'account', 'meter', 'collector', 'concentrator'] as const;
export type CustomFieldEntity = (typeof CUSTOM_FIELD_ENTITIES)[number];
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'select', 'boolean'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export interface CustomField {
  entity: CustomFieldEntity;
  key: string;
  label: { 'zh-CN': string; en: string };
  type: CustomFieldType;
  required: boolean;
  options: string[] | null;
  sort: number;
}

export interface CustomFieldInput {
  entity: CustomFieldEntity;
  key: string;
  label: { 'zh-CN': string; en: string };
  type: CustomFieldType;
  required?: boolean;
  options?: string[] | null;
  sort?: number;
}

export type CustomFieldPatch = Partial<Pick<CustomFieldInput, 'label' | 'required' | 'options' | 'sort'>>;

const one = (entity: CustomFieldEntity, key: string) =>
  `/custom-fields/${encodeURIComponent(entity)}/${encodeURIComponent(key)}`;

export const customFieldsApi = {
  list: (entity: CustomFieldEntity) => http.get<{ items: CustomField[] }>('/custom-fields', { entity }),
  create: (input: CustomFieldInput) => http.post<CustomField>('/custom-fields', input),
  update: (entity: CustomFieldEntity, key: string, patch: CustomFieldPatch) =>
    http.patch<CustomField>(one(entity, key), patch),
  remove: (entity: CustomFieldEntity, key: string) => http.del(one(entity, key)),
};
