import { http } from './http.ts';

/** Custom field values of a record, by field key. */
export type CustomValues = Record<string, string | number | boolean | null>;

export const COLLECTOR_INTERFACES = ['rs485', 'mbus', 'wireless'] as const;
export type CollectorInterface = (typeof COLLECTOR_INTERFACES)[number];
export type GatewayStatus = 'active' | 'removed';

/** 集中器: region code A1 + terminal address A2; online state and heartbeat are the reading engine's. */
export interface Concentrator {
  id: string;
  number: string;
  name: string;
  a1: string;
  a2: number;
  protocol: string;
  sim: string | null;
  iccid: string | null;
  areaId: string;
  areaPath: string[];
  status: GatewayStatus;
  online: boolean;
  lastHeartbeatAt: string | null;
  custom: CustomValues;
  createdAt: string;
}

export interface ConcentratorInput {
  number: string;
  name?: string;
  a1: string;
  a2: number;
  sim?: string | null;
  iccid?: string | null;
  areaId: string;
  status?: GatewayStatus;
  custom?: CustomValues;
}

/** 采集器: bridges meters to a concentrator or a serial line. */
export interface Collector {
  id: string;
  number: string;
  interface: CollectorInterface;
  address: string;
  concentratorId: string | null;
  areaId: string;
  areaPath: string[];
  status: GatewayStatus;
  custom: CustomValues;
  createdAt: string;
}

export interface CollectorInput {
  number: string;
  interface: CollectorInterface;
  address: string;
  concentratorId?: string | null;
  areaId: string;
  status?: GatewayStatus;
  custom?: CustomValues;
}

const concentrator = (id: string) => `/concentrators/${encodeURIComponent(id)}`;
const collector = (id: string) => `/collectors/${encodeURIComponent(id)}`;

export const concentratorsApi = {
  list: () => http.get<{ items: Concentrator[] }>('/concentrators'),
  create: (input: ConcentratorInput) => http.post<Concentrator>('/concentrators', input),
  update: (id: string, patch: Partial<ConcentratorInput>) => http.patch<Concentrator>(concentrator(id), patch),
};

export const collectorsApi = {
  list: (concentratorId?: string) => http.get<{ items: Collector[] }>('/collectors', { concentratorId }),
  create: (input: CollectorInput) => http.post<Collector>('/collectors', input),
  update: (id: string, patch: Partial<CollectorInput>) => http.patch<Collector>(collector(id), patch),
};
