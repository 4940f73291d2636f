import type { Collector, Concentrator } from './gateways.ts';
import { http } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

export type Meter = Schema<'Meter'>;
export type MeterRoute = Schema<'MeterRoute'>;
/** A route as the meter route API takes it (the topology moves meters through concentrators). */
export type MeterRouteInput = BodyOf<'/meters/{id}/route', 'put'>;
export type MeterSearch = Pick<QueryOf<'/meters'>, 'q' | 'limit'>;

/**
 * One concentrator's branch. The document types the tree's nodes loosely (records); they are the
 * Concentrator, Collector and Meter objects of the gateway and meter routes.
 */
export interface TopologyBranch {
  concentrator: Concentrator;
  collectors: { collector: Collector; meters: Meter[] }[];
  /** meters reached through the concentrator without one of its collectors */
  meters: Meter[];
}

export const topologyApi = {
  /** One concentrator's branch (collectors and meters), or every branch without an id. */
  tree: async (concentratorId?: string): Promise<{ items: TopologyBranch[] }> => {
    const reply = await http.get<ReplyOf<'/topology'>>('/topology', { concentratorId });
    return reply as unknown as { items: TopologyBranch[] };
  },
  /** Moves a meter under another concentrator or collector by changing its route. */
  setRoute: (meterId: string, route: MeterRouteInput) =>
    http.put<ReplyOf<'/meters/{id}/route', 'put'>>(`/meters/${encodeURIComponent(meterId)}/route`, route),
  /** Meters by asset number, address or name, for pickers. */
  searchMeters: (s: MeterSearch) => http.get<ReplyOf<'/meters'>>('/meters', { q: s.q, limit: s.limit ?? 20 }),
};
