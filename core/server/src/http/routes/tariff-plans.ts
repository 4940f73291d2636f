import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { createPlan, getPlan, listPlans, updatePlan } from '../../services/billing/tariff-store/index.ts';
import { IdParam, jsonRoute, router, z } from '../route-kit.ts';
import { tariffRead, tariffWrite } from './tariff-access.ts';
import { PlanCreate, PlanListQuery, PlanPatch, TariffPlan } from './tariff-plan-schemas.ts';
import { tariffVersionRoutes } from './tariff-versions.ts';

const tag = 'billing';

/** /tariff-plans: stored tariff plans (tenant-wide) and, below them, their versions. */
export function tariffPlanRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Tariff plans',
      query: PlanListQuery,
      response: z.object({ items: z.array(TariffPlan) }),
    }),
    async (c) => c.json({ items: await tariffRead(p, c, (tx) => listPlans(tx, c.req.valid('query'))) }, 200),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'One tariff plan',
      params: IdParam,
      response: TariffPlan,
    }),
    async (c) => c.json(await tariffRead(p, c, (tx) => getPlan(tx, c.req.valid('param').id)), 200),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Add a tariff plan',
      body: PlanCreate,
      response: TariffPlan,
    }),
    async (c) => {
      const plan = await tariffWrite(p, c, async (tx, { tenantId, meta }) => {
        const made = await createPlan(tx, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'tariff-plans.create',
          targetType: 'tariff-plan',
          targetId: made.id,
          after: made,
        });
        return made;
      });
      return c.json(plan, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}',
      tag,
      summary: 'Rename, describe, retire or reactivate a tariff plan',
      params: IdParam,
      body: PlanPatch.refine((o) => Object.values(o).some((v) => v !== undefined), {
        message: 'at least one field must be given',
      }),
      status: 200,
      response: TariffPlan,
    }),
    async (c) => {
      const plan = await tariffWrite(p, c, async (tx, { tenantId, meta }) => {
        const { before, after } = await updatePlan(tx, c.req.valid('param').id, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'tariff-plans.update',
          targetType: 'tariff-plan',
          targetId: after.id,
          before,
          after,
        });
        return after;
      });
      return c.json(plan, 200);
    },
  );
  r.route('/', tariffVersionRoutes(p));
  return r;
}
