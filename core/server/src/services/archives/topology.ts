import { asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { areas, collectors, meterRoutes, meters } from '../../db/schema/index.ts';
import { type Actor, inScope } from '../identity/actor.ts';
import { collectorDto, concentratorDto, findConcentrator, listConcentrators } from './gateways.ts';
import { routeDto } from './meter-routes.ts';
import { meterDto } from './meters.ts';

/** Meters routed through these concentrators, within the actor's scope, by measuring point. */
async function routedMeters(tx: Tx, actor: Actor, concentratorIds: string[]) {
  const rows = await tx
    .select({ m: meters, path: areas.path, r: meterRoutes })
    .from(meterRoutes)
    .innerJoin(meters, eq(meters.id, meterRoutes.meterId))
    .innerJoin(areas, eq(areas.id, meters.areaId))
    .where(inArray(meterRoutes.concentratorId, concentratorIds))
    .orderBy(asc(meterRoutes.pointNo));
  return rows.filter((x) => inScope(actor, x.path)).map((x) => meterDto(x.m, x.path, routeDto(x.r)));
}

/** Collectors attached to these concentrators, within the actor's scope. */
async function attachedCollectors(tx: Tx, actor: Actor, concentratorIds: string[]) {
  const rows = await tx
    .select({ c: collectors, path: areas.path })
    .from(collectors)
    .innerJoin(areas, eq(areas.id, collectors.areaId))
    .where(inArray(collectors.concentratorId, concentratorIds))
    .orderBy(asc(collectors.number));
  return rows.filter((x) => inScope(actor, x.path)).map((x) => collectorDto(x.c, x.path));
}

/**
 * The tree concentrator → collectors → meters (each with its route), in three queries; meters
 * routed through the concentrator without a collector hang on the concentrator itself.
 */
export async function topology(tx: Tx, actor: Actor, concentratorId?: string) {
  const roots = concentratorId
    ? [await findConcentrator(tx, actor, concentratorId).then(({ c, path }) => concentratorDto(c, path))]
    : await listConcentrators(tx, actor);
  if (roots.length === 0) return [];
  const ids = roots.map((c) => c.id);
  const [ms, cols] = [await routedMeters(tx, actor, ids), await attachedCollectors(tx, actor, ids)];
  return roots.map((c) => {
    const mine = ms.filter((m) => m.route?.concentratorId === c.id);
    const attached = cols.filter((col) => col.concentratorId === c.id);
    const known = new Set(attached.map((col) => col.id));
    return {
      concentrator: c,
      collectors: attached.map((col) => ({
        collector: col,
        meters: mine.filter((m) => m.route?.collectorId === col.id),
      })),
      // meters reached without a collector, or through one not attached to this concentrator
      meters: mine.filter((m) => !known.has(m.route?.collectorId ?? '')),
    };
  });
}
