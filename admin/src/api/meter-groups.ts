import { http } from './http.ts';
import type { BodyOf, ReplyOf, Schema } from './types.ts';

export const METER_PROTOCOLS = [
  'dlt645-2007',
  'dlt645-1997',
  'cjt188',
  'mbus',
  'gdw1376',
  'nbiot',
  'lora',
] as const;
export const METER_STATUSES = ['in_stock', 'installed', 'suspended', 'removed'] as const;
export const METER_KINDS = ['meter-water', 'meter-power', 'meter-gas', 'meter-heat'] as const;

/** A static group (members) or a saved filter (area + kind + protocol + status). */
export type MeterGroup = Schema<'MeterGroup'>;
export type GroupFilter = NonNullable<MeterGroup['filter']>;
export type MeterGroupInput = BodyOf<'/meter-groups', 'post'>;
export type MeterGroupPatch = BodyOf<'/meter-groups/{id}', 'patch'>;

const one = (id: string) => `/meter-groups/${encodeURIComponent(id)}`;

export const meterGroupsApi = {
  /** Groups without their members (memberIds is null in the list; `get` has them). */
  list: () => http.get<ReplyOf<'/meter-groups'>>('/meter-groups'),
  get: (id: string) => http.get<MeterGroup>(one(id)),
  meters: (id: string, limit = 500) =>
    http.get<ReplyOf<'/meter-groups/{id}/meters'>>(`${one(id)}/meters`, { limit }),
  create: (input: MeterGroupInput) => http.post<MeterGroup>('/meter-groups', input),
  update: (id: string, patch: MeterGroupPatch) => http.patch<MeterGroup>(one(id), patch),
  remove: (id: string) => http.del(one(id)),
};
