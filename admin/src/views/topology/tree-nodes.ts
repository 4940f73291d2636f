import type { Collector, Concentrator } from '../../api/gateways.ts';
import type { Meter, TopologyBranch } from '../../api/topology.ts';

/** One node of the topology tree: a concentrator, a collector, a meter, or the group of loose collectors. */
export type TopoNode =
  | { key: string; type: 'concentrator'; name: string; leaf: false; concentrator: Concentrator }
  | { key: string; type: 'collector'; name: string; leaf: boolean; collector: Collector; meters: Meter[] }
  | { key: string; type: 'meter'; name: string; leaf: true; meter: Meter }
  | { key: string; type: 'loose'; name: string; leaf: false; collectors: Collector[] };

export const concentratorNode = (c: Concentrator): TopoNode => ({
  key: `concentrator:${c.id}`,
  type: 'concentrator',
  name: c.number,
  leaf: false,
  concentrator: c,
});

export const collectorNode = (c: Collector, meters: Meter[]): TopoNode => ({
  key: `collector:${c.id}`,
  type: 'collector',
  name: c.number,
  leaf: meters.length === 0,
  collector: c,
  meters,
});

export const meterNode = (m: Meter): TopoNode => ({
  key: `meter:${m.id}`,
  type: 'meter',
  name: m.assetNo,
  leaf: true,
  meter: m,
});

/** The children of a concentrator: its collectors (with their meters), then meters reached directly. */
export function branchChildren(branch: TopologyBranch | undefined): TopoNode[] {
  if (!branch) return [];
  return [
    ...branch.collectors.map((c) => collectorNode(c.collector, c.meters)),
    ...branch.meters.map(meterNode),
  ];
}
