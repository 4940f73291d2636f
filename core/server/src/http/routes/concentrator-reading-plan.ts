import type { Platform } from '../../platform.ts';
import { pushReadingPlan, readingPlan } from '../../services/archives/concentrator-reading-plan.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { IdParam, inTenant, jsonRoute, router, z } from '../route-kit.ts';

const Plan = z.object({
  port: z.number(),
  days: z.array(z.number()),
  time: z.string(),
  intervalMinutes: z.number(),
  segments: z.array(z.object({ start: z.string(), end: z.string() })),
});

const View = z
  .object({
    schedules: z.array(z.object({ id: z.string(), name: z.string(), cron: z.string() })),
    derived: z.array(Plan),
    device: z.array(Plan),
  })
  .openapi('ConcentratorReadingPlan');

/**
 * The concentrator's own reading plan (AFN 04 F33): `GET /concentrators/{id}/reading-plan`
 * derives it from the tenant's reading schedules and reads the one it runs back (meters.read);
 * `POST` sets the derived plan and reads it back (meters.control, audited as
 * `concentrators.reading-plan`).
 */
export function concentratorReadingPlanRoutes(p: Platform) {
  const r = router();
  const tag = 'gateways';
  const deps = { registry: p.registry };
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/reading-plan',
      tag,
      summary:
        'The reading plan derived from the schedules beside the one the concentrator runs (抄表运行参数)',
      params: IdParam,
      response: View,
    }),
    async (c) => {
      const view = await inTenant(p, c, 'meters.read', (tx, { actor }) =>
        readingPlan(tx, deps, actor, c.req.valid('param').id),
      );
      return c.json(view, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/reading-plan',
      tag,
      summary: 'Set the reading plan derived from the schedules in the concentrator (AFN 04 F33)',
      params: IdParam,
      body: z.object({}).strict(),
      response: View,
      status: 200,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'meters.control', async (tx, { actor, tenantId, meta }) => {
        const id = c.req.valid('param').id;
        const done = await pushReadingPlan(tx, deps, actor, id);
        await recordAudit(tx, tenantId, meta, {
          action: 'concentrators.reading-plan',
          targetType: 'concentrator',
          targetId: id,
          areaPath: done.areaPath,
          after: { schedules: done.schedules.map((s) => s.id), sent: done.derived, device: done.device },
        });
        return done;
      });
      const { areaPath: _, ...body } = out;
      return c.json(body, 200);
    },
  );
  return r;
}
