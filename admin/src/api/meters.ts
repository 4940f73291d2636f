import type { CursorPage, CursorQuery } from './cursor.ts';
import type { CustomValue } from './custom-field-defs.ts';
import { http } from './http.ts';

export const METER_STATUSES = ['in_stock', 'installed', 'suspended', 'removed'] as const;
export type MeterStatus = (typeof METER_STATUSES)[number];
export const METER_PROTOCOLS = [
  'dlt645-2007',
  'dlt645-1997',
  'cjt188',
  'mbus',
  'gdw1376',
  'nbiot',
  'lora',
] as const;
export type MeterProtocol = (typeof METER_PROTOCOLS)[number];
export const METER_CONTROLS = ['none', 'valve', 'relay'] as const;
export type MeterControl = (typeof METER_CONTROLS)[number];
export const ROUTE_VIAS = ['serial', 'concentrator', 'nbiot', 'lora'] as const;
export type RouteVia = (typeof ROUTE_VIAS)[number];
export const BAUDS = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
export const PARITIES = ['E', 'N', 'O'] as const;
export const NBIOT_PLATFORMS = ['ctwing', 'onenet', 'iotda'] as const;

/** Where a meter is reached, as the server stores it (the address is the meter's own). */
export interface MeterRoute {
  via: RouteVia;
  line: string;
  address: string;
  baud: number | null;
  parity: string | null;
  collectorId: string | null;
  channel: number | null;
  concentratorId: string | null;
  pointNo: number | null;
  port: number | null;
}

/** What the route editor sends (PUT /meters/{id}/route, or `route` on create). */
export type RouteInput =
  | {
      via: 'serial';
      line: string;
      baud: number;
      parity: (typeof PARITIES)[number];
      collectorId?: string | null;
      channel?: number | null;
    }
  | {
      via: 'concentrator';
      concentratorId: string;
      pointNo: number;
      port: number;
      collectorId?: string | null;
    }
  | { via: 'nbiot'; platform: (typeof NBIOT_PLATFORMS)[number]; deviceId?: string | null }
  | { via: 'lora' };

export interface Meter {
  id: string;
  kind: string;
  assetNo: string;
  commAddress: string;
  protocol: MeterProtocol;
  vendorProfile: string | null;
  model: string | null;
  vendor: string | null;
  ctRatio: number;
  ptRatio: number;
  digits: number;
  /** a decimal string */
  initialReading: string;
  installDate: string | null;
  location: string | null;
  areaId: string;
  areaPath: string[];
  accountId: string | null;
  control: MeterControl;
  status: MeterStatus;
  custom: Record<string, unknown>;
  route: MeterRoute | null;
  createdAt: string;
  updatedAt: string;
}

export interface MeterFields {
  kind: string;
  assetNo: string;
  commAddress: string;
  protocol: MeterProtocol;
  vendorProfile?: string | null;
  model?: string | null;
  vendor?: string | null;
  ctRatio?: number;
  ptRatio?: number;
  digits?: number;
  initialReading?: string;
  installDate?: string | null;
  location?: string | null;
  areaId: string;
  control?: MeterControl;
  custom?: Record<string, CustomValue>;
}

export interface MeterCreate extends MeterFields {
  accountId?: string | null;
  route?: RouteInput | null;
}

export type MeterPatch = Partial<MeterFields>;

export interface MeterFilter {
  q?: string;
  areaId?: string;
  kind?: string;
  status?: MeterStatus;
  protocol?: MeterProtocol;
  concentratorId?: string;
  accountId?: string;
}

export const METER_EVENT_KINDS = ['install', 'replace', 'remove', 'suspend', 'resume', 'transfer'] as const;
export type MeterEventKind = (typeof METER_EVENT_KINDS)[number];

/** One lifecycle event: who, when, why and the readings (by register, decimal strings). */
export interface MeterEvent {
  id: number;
  meterId: string;
  kind: MeterEventKind;
  at: string;
  actorId: string | null;
  actorName: string;
  reason: string;
  readings: { final?: Record<string, string>; initial?: Record<string, string> };
  relatedMeterId: string | null;
  fromAccountId: string | null;
  toAccountId: string | null;
}

/** The lifecycle actions besides replacement, each a dialog on the meter page. */
export type LifecycleAction = 'install' | 'remove' | 'suspend' | 'resume' | 'transfer';

/** Every lifecycle action names why; the time defaults to now. */
export interface Why {
  reason: string;
  at?: string;
}

export interface ReplaceInput extends Why {
  newMeter?: MeterFields;
  newMeterId?: string;
  finalReading: string;
  initialReading: string;
}

const one = (id: string) => `/meters/${encodeURIComponent(id)}`;

export const metersApi = {
  list: (query: MeterFilter & CursorQuery) => http.get<CursorPage<Meter>>('/meters', { ...query }),
  get: (id: string) => http.get<Meter>(one(id)),
  create: (input: MeterCreate) => http.post<Meter>('/meters', input),
  update: (id: string, patch: MeterPatch) => http.patch<Meter>(one(id), patch),
  setRoute: (id: string, route: RouteInput) => http.put<{ route: MeterRoute }>(`${one(id)}/route`, route),
  deleteRoute: (id: string) => http.del(`${one(id)}/route`),
  history: (id: string) => http.get<{ items: MeterEvent[] }>(`${one(id)}/history`),
  children: (id: string) => http.get<{ childIds: string[] }>(`${one(id)}/children`),
  install: (id: string, body: Why & { accountId?: string | null; initialReading: string }) =>
    http.post<Meter>(`${one(id)}/install`, body),
  replace: (id: string, body: ReplaceInput) =>
    http.post<{ old: Meter; new: Meter }>(`${one(id)}/replace`, body),
  remove: (id: string, body: Why & { finalReading: string }) => http.post<Meter>(`${one(id)}/remove`, body),
  suspend: (id: string, body: Why) => http.post<Meter>(`${one(id)}/suspend`, body),
  resume: (id: string, body: Why) => http.post<Meter>(`${one(id)}/resume`, body),
  transfer: (id: string, body: Why & { toAccountId: string; finalReading: string }) =>
    http.post<Meter>(`${one(id)}/transfer`, body),
};
