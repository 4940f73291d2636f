import type { CustomValue } from './custom-fields.ts';
import { http } from './http.ts';
import type { BodyOf, ReplyOf, Schema } from './types.ts';

/** Custom field values of a record, by field key, as forms hold them. */
export type CustomValues = Record<string, CustomValue>;

export const COLLECTOR_INTERFACES = ['rs485', 'mbus', 'wireless'] as const;

/** 集中器: region code A1 + terminal address A2; online state and heartbeat are the reading engine's. */
export type Concentrator = Schema<'Concentrator'>;
export type ConcentratorInput = BodyOf<'/concentrators', 'post'>;
export type ConcentratorPatch = BodyOf<'/concentrators/{id}', 'patch'>;

/** 采集器: bridges meters to a concentrator or a serial line. */
export type Collector = Schema<'Collector'>;
export type CollectorInterface = Collector['interface'];
export type CollectorInput = BodyOf<'/collectors', 'post'>;
export type CollectorPatch = BodyOf<'/collectors/{id}', 'patch'>;

const concentrator = (id: string) => `/concentrators/${encodeURIComponent(id)}`;
const collector = (id: string) => `/collectors/${encodeURIComponent(id)}`;

/** A concentrator or collector as the meter route editor offers it. */
export type GatewayOption = Pick<Concentrator, 'id' | 'number' | 'areaPath' | 'status'> & { name?: string };

export const concentratorsApi = {
  list: () => http.get<ReplyOf<'/concentrators'>>('/concentrators'),
  create: (input: ConcentratorInput) => http.post<Concentrator>('/concentrators', input),
  update: (id: string, patch: ConcentratorPatch) => http.patch<Concentrator>(concentrator(id), patch),
};

export const collectorsApi = {
  list: (concentratorId?: string) => http.get<ReplyOf<'/collectors'>>('/collectors', { concentratorId }),
  create: (input: CollectorInput) => http.post<Collector>('/collectors', input),
  update: (id: string, patch: CollectorPatch) => http.patch<Collector>(collector(id), patch),
};
