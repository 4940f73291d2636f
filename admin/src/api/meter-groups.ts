import { http } from './http.ts';
import type { MeterBrief } from './topology.ts';

export const METER_PROTOCOLS = ['dlt645-2007', 'dlt645-1997', 'cjt188', 'mbus', 'gdw1376', 'nbiot', 'lora'] as const;
export const METER_STATUSES = ['in_stock', 'installed', 'suspended', 'removed'] as const;
export const METER_KINDS = ['meter-water', 'meter-power', 'meter-gas', 'meter-heat'] as const;

/** A saved filter: meters matching every field given. */
export interface GroupFilter {
  areaId?: string;
  kind?: string;
  protocol?: (typeof METER_PROTOCOLS)[number];
  status?: (typeof METER_STATUSES)[number];
}

export interface MeterGroup {
  id: string;
  name: string;
  kind: 'static' | 'filter';
  filter: GroupFilter | null;
  /** static members within the caller's scope; null for a saved filter */
  memberIds: string[] | null;
  createdAt: string;
}

export type MeterGroupInput =
  | { name: string; kind: 'static'; memberIds?: string[] }
  | { name: string; kind: 'filter'; filter: GroupFilter };

export type MeterGroupPatch = Partial<{ name: string; memberIds: string[]; filter: GroupFilter }>;

const one = (id: string) => `/meter-groups/${encodeURIComponent(id)}`;

export const meterGroupsApi = {
  list: () => http.get<{ items: MeterGroup[] }>('/meter-groups'),
  meters: (id: string, limit = 500) =>
    http.get<{ items: MeterBrief[]; total: number; totalCapped: boolean }>(`${one(id)}/meters`, { limit }),
  create: (input: MeterGroupInput) => http.post<MeterGroup>('/meter-groups', input),
  update: (id: string, patch: MeterGroupPatch) => http.patch<MeterGroup>(one(id), patch),
  remove: (id: string) => http.del(one(id)),
};
