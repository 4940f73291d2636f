import type { Collector, Concentrator } from './gateways.ts';
import { http } from './http.ts';

/** Where a meter is reached, as the server stores it. */
export interface MeterRoute {
  via: 'serial' | 'concentrator' | 'nbiot' | 'lora';
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

/** The fields of a meter the topology and group pages show. */
export interface MeterBrief {
  id: string;
  kind: string;
  assetNo: string;
  commAddress: string;
  protocol: string;
  status: string;
  areaId: string;
  route: MeterRoute | null;
}

export interface TopologyBranch {
  concentrator: Concentrator;
  collectors: { collector: Collector; meters: MeterBrief[] }[];
  /** meters reached through the concentrator without one of its collectors */
  meters: MeterBrief[];
}

/** A route through a concentrator, as the meter route API takes it. */
export interface ConcentratorRouteInput {
  via: 'concentrator';
  concentratorId: string;
  pointNo: number;
  port: number;
  collectorId?: string | null;
}

export interface MeterSearch {
  q?: string;
  limit?: number;
}

export const topologyApi = {
  /** One concentrator's branch (collectors and meters), or every branch without an id. */
  tree: (concentratorId?: string) => http.get<{ items: TopologyBranch[] }>('/topology', { concentratorId }),
  /** Moves a meter under another concentrator or collector by changing its route. */
  setRoute: (meterId: string, route: ConcentratorRouteInput) =>
    http.put<{ route: MeterRoute }>(`/meters/${encodeURIComponent(meterId)}/route`, route),
  /** Meters by asset number, address or name, for pickers. */
  searchMeters: (s: MeterSearch) =>
    http.get<{ items: MeterBrief[]; next: string | null }>('/meters', { q: s.q, limit: s.limit ?? 20 }),
};
