import { eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { areas, meterRoutes, meters } from '../../db/schema/index.ts';
import { type Actor, inScope } from '../identity/actor.ts';
import { findConcentrator, listCollectors, listConcentrators } from './gateways.ts';
import { routeDto } from './meter-routes.ts';
import { meterDto } from './meters.ts';

type MeterNode = ReturnType<typeof meterDto>;

/** Meters routed through these concentrators, within the actor's scope. */
async function routedMeters(tx: Tx, actor: Actor, concentratorIds: string[]) {
  if (concentratorIds.length === 0) return [];
  const rows = await tx
    .select({ m: meters, path: areas.path, r: meterRoutes })
    .from(meterRoutes)
    .innerJoin(meters, eq(meters.id, meterRoutes.meterId))
    .innerJoin(areas, eq(areas.id, meters.areaId))
    .where(inArray(meterRoutes.concentratorId, concentratorIds))
    .orderBy(meterRoutes.pointNo);
  return rows.filter((x) => inScope(actor, x.path)).map((x) => meterDto(x.m, x.path, routeDto(x.r)));
}

/** The tree concentrator → collectors → meters (each with its route); meters without a collector sit on the concentrator. */
export async function topology(tx: Tx, actor: Actor, concentratorId?: string) {
  const roots = concentratorId
    ? [(await findConcentrator(tx, actor, concentratorId)).c.id]
    : (await listConcentrators(tx, actor)).map((c) => c.id);
  const all = await listConcentrators(tx, actor);
  const ms = await routedMeters(tx, actor, roots);
  const trees = [];
  for (const c of all.filter((x) => roots.includes(x.id))) {
    const mine = ms.filter((m) => m.route?.concentratorId === c.id);
    const cols = await listCollectors(tx, actor, c.id);
    const under = (colId: string | null): MeterNode[] =>
      mine.filter((m) => (m.route?.collectorId ?? null) === colId);
    trees.push({
      concentrator: c,
      collectors: cols.map((col) => ({ collector: col, meters: under(col.id) })),
      meters: under(null),
    });
  }
  return trees;
}
