import type { Platform } from '../../platform.ts';
import { meterKinds } from '../../services/archives/meter-kinds.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { requireWholeTenant } from '../../services/identity/actor.ts';
import { partitionKeeper } from '../../services/readings/partitions.ts';
import { assignUplink, dismissUplink, listUplinks } from '../../services/readings/uplink-inbox.ts';
import { zone } from '../../services/readings/zone.ts';
import { IdParam, inTenant, jsonRoute, PageQuery, router, z } from '../route-kit.ts';

const tag = 'uplinks';
const Uplink = z
  .object({
    id: z.string(),
    pluginId: z.string(),
    via: z.string(),
    deviceId: z.string(),
    platform: z.string().nullable(),
    reason: z.string(),
    idempotencyKey: z.string(),
    kind: z.string(),
    measuredAt: z.string(),
    registers: z.record(z.string(), z.string().nullable()),
    raw: z.string().nullable(),
    receivedAt: z.string(),
    seen: z.number(),
    status: z.enum(['pending', 'assigned', 'dismissed']),
    meterId: z.string().nullable(),
    result: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    resolvedBy: z.string().nullable(),
  })
  .openapi('UnmatchedUplink');
const Outcome = z.object({ status: z.string() }).loose().openapi('IngestOutcome');

/**
 * The unmatched-uplinks inbox (docs/decisions/0014): uplinks a push transport handed in for this
 * tenant whose device no meter's route names. An uplink belongs to no area yet, so the inbox is
 * the tenant's: anyone holding meters.read lists it; assigning needs meters.write and a meter
 * within the caller's scope; dismissing needs meters.write and the whole tenant as scope.
 */
export function uplinkRoutes(p: Platform) {
  const r = router();
  // built on first use: the OpenAPI document is written without a database
  let deps: Parameters<typeof assignUplink>[1] | undefined;
  const ingestDeps = () => {
    deps ??= {
      kinds: meterKinds(p.registry),
      zone: zone(p.config.QUADMETER_TIMEZONE),
      partitions: partitionKeeper(p.database.jobs),
    };
    return deps;
  };
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Unmatched uplinks (newest first)',
      query: PageQuery.extend({ status: z.enum(['pending', 'assigned', 'dismissed']).default('pending') }),
      response: z.object({ items: z.array(Uplink), total: z.number() }),
    }),
    async (c) =>
      c.json(await inTenant(p, c, 'meters.read', (tx) => listUplinks(tx, c.req.valid('query'))), 200),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/assign',
      tag,
      summary:
        "Assign an uplink to a meter: the meter takes the uplink's route; its reading and the device's other pending uplinks are ingested",
      params: IdParam,
      body: z.object({ meterId: z.uuid() }).strict(),
      response: z.object({ uplink: Uplink, outcome: Outcome, assigned: z.number() }),
      status: 200,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const id = c.req.valid('param').id;
        const done = await assignUplink(tx, ingestDeps(), actor, tenantId, id, c.req.valid('json').meterId);
        await recordAudit(tx, tenantId, meta, {
          action: 'uplinks.assign',
          targetType: 'meter',
          targetId: done.after.meterId ?? undefined,
          areaPath: done.areaPath,
          before: done.before,
          after: done.after,
        });
        return { uplink: done.after, outcome: done.outcome, assigned: done.assigned };
      });
      return c.json(out, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/dismiss',
      tag,
      summary: 'Dismiss an uplink (kept, marked dismissed)',
      params: IdParam,
      response: Uplink,
      status: 200,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const done = await dismissUplink(tx, actor, tenantId, c.req.valid('param').id);
        await recordAudit(tx, tenantId, meta, {
          action: 'uplinks.dismiss',
          targetType: 'uplink',
          targetId: done.after.id,
          areaPath: null,
          before: done.before,
          after: done.after,
        });
        return done.after;
      });
      return c.json(out, 200);
    },
  );
  return r;
}
