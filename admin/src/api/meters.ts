import { http, xlsxExportUrl } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

export type Meter = Schema<'Meter'>;
export type MeterStatus = Meter['status'];
export type MeterProtocol = Meter['protocol'];
export type MeterControl = Meter['control'];
/** Where a meter is reached, as the server stores it (the address is the meter's own). */
export type MeterRoute = NonNullable<Schema<'MeterRoute'>>;
/** What the route editor sends (PUT /meters/{id}/route, or `route` on create). */
export type RouteInput = NonNullable<Schema<'MeterRouteInput'>>;
export type RouteVia = RouteInput['via'];
export type Parity = Extract<RouteInput, { via: 'serial' }>['parity'];
export type NbiotPlatform = Extract<RouteInput, { via: 'nbiot' }>['platform'];
export type MeterCreate = BodyOf<'/meters', 'post'>;
export type MeterPatch = BodyOf<'/meters/{id}', 'patch'>;
export type MeterQuery = QueryOf<'/meters'>;
export type MeterFilter = Omit<MeterQuery, 'after' | 'limit' | 'order'>;
/** One lifecycle event: who, when, why and the readings (`final`/`initial` by register, decimal strings). */
export type MeterEvent = Schema<'MeterEvent'>;
export type ReplaceInput = BodyOf<'/meters/{id}/replace', 'post'>;
/** A new meter described in the replace dialog. */
export type NewMeterFields = NonNullable<ReplaceInput['newMeter']>;

export const METER_STATUSES = [
  'in_stock',
  'installed',
  'suspended',
  'removed',
] as const satisfies readonly MeterStatus[];
export const METER_PROTOCOLS = [
  'dlt645-2007',
  'dlt645-1997',
  'cjt188',
  'mbus',
  'gdw1376',
  'nbiot',
  'lora',
] as const satisfies readonly MeterProtocol[];
export const METER_CONTROLS = ['none', 'valve', 'relay'] as const satisfies readonly MeterControl[];
export const ROUTE_VIAS = ['serial', 'concentrator', 'nbiot', 'lora'] as const satisfies readonly RouteVia[];
export const BAUDS = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
export const PARITIES = ['E', 'N', 'O'] as const satisfies readonly Parity[];
export const NBIOT_PLATFORMS = ['ctwing', 'onenet', 'iotda'] as const satisfies readonly NbiotPlatform[];

/** The lifecycle actions besides replacement, each a dialog on the meter page. */
export type LifecycleAction = 'install' | 'remove' | 'suspend' | 'resume' | 'transfer';

const one = (id: string) => `/meters/${encodeURIComponent(id)}`;

export type MeterKind = Schema<'MeterKind'>;

/** The streamed xlsx export of the meters matching `filter` (the import sheet's columns), headers in `lang`. */
export function meterExportUrl(filter: MeterFilter, lang: QueryOf<'/meters/export.xlsx'>['lang']): string {
  return xlsxExportUrl('/meters/export.xlsx', { ...filter }, lang);
}

export const metersApi = {
  /** the meter kinds (running meter-type plugins) with titles and registers; needs only meters.read */
  kinds: () => http.get<ReplyOf<'/meters/kinds'>>('/meters/kinds'),
  list: (query: MeterQuery) => http.get<ReplyOf<'/meters'>>('/meters', { ...query }),
  get: (id: string) => http.get<Meter>(one(id)),
  create: (input: MeterCreate) => http.post<Meter>('/meters', input),
  update: (id: string, patch: MeterPatch) => http.patch<Meter>(one(id), patch),
  setRoute: (id: string, route: RouteInput) =>
    http.put<ReplyOf<'/meters/{id}/route', 'put'>>(`${one(id)}/route`, route),
  deleteRoute: (id: string) => http.del(`${one(id)}/route`),
  history: (id: string) => http.get<ReplyOf<'/meters/{id}/history'>>(`${one(id)}/history`),
  children: (id: string) => http.get<ReplyOf<'/meters/{id}/children'>>(`${one(id)}/children`),
  /** makes `childId` a sub-meter of `id` (总分表) */
  linkChild: (id: string, childId: string) =>
    http.put<void>(`${one(id)}/children/${encodeURIComponent(childId)}`),
  unlinkChild: (id: string, childId: string) =>
    http.del(`${one(id)}/children/${encodeURIComponent(childId)}`),
  install: (id: string, body: BodyOf<'/meters/{id}/install', 'post'>) =>
    http.post<Meter>(`${one(id)}/install`, body),
  replace: (id: string, body: ReplaceInput) =>
    http.post<ReplyOf<'/meters/{id}/replace', 'post'>>(`${one(id)}/replace`, body),
  remove: (id: string, body: BodyOf<'/meters/{id}/remove', 'post'>) =>
    http.post<Meter>(`${one(id)}/remove`, body),
  suspend: (id: string, body: BodyOf<'/meters/{id}/suspend', 'post'>) =>
    http.post<Meter>(`${one(id)}/suspend`, body),
  resume: (id: string, body: BodyOf<'/meters/{id}/resume', 'post'>) =>
    http.post<Meter>(`${one(id)}/resume`, body),
  transfer: (id: string, body: BodyOf<'/meters/{id}/transfer', 'post'>) =>
    http.post<Meter>(`${one(id)}/transfer`, body),
};
