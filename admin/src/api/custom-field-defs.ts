import { http } from './http.ts';

export type CustomFieldEntity = 'customer' | 'account' | 'meter' | 'collector' | 'concentrator';
export type CustomFieldType = 'text' | 'number' | 'date' | 'select' | 'boolean';
export type CustomValue = string | number | boolean | null;

/** A tenant's custom field of one entity, as the forms render it. */
export interface CustomFieldDef {
  entity: CustomFieldEntity;
  key: string;
  label: { 'zh-CN': string; en: string };
  type: CustomFieldType;
  required: boolean;
  options: string[] | null;
  sort: number;
}

export const customFieldDefsApi = {
  list: (entity: CustomFieldEntity) => http.get<{ items: CustomFieldDef[] }>('/custom-fields', { entity }),
};
