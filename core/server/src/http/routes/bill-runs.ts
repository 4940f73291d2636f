import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { cancelRun, createRun, findRun, listRuns, runFailures } from '../../services/billing/runs/index.ts';
import { IdParam, inTenant, jsonRoute, router, z } from '../route-kit.ts';
import { BillRunDetail, BillRunListQuery, BillRunPage, StartBillRun } from './bill-run-schemas.ts';

const tag = 'bill-runs';

export function billRunRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Start a postpaid bill run for an area (or the whole tenant) and a period',
      body: StartBillRun,
      response: BillRunDetail,
    }),
    async (c) => {
      const detail = await inTenant(p, c, 'billing.run', async (tx, { actor, tenantId, meta }) => {
        const id = await createRun(tx, actor, c.req.valid('json'), p.jobs);
        const run = await findRun(tx, actor, id);
        await recordAudit(tx, tenantId, meta, {
          action: 'bill-runs.start',
          targetType: 'bill-run',
          targetId: id,
          after: run,
        });
        return { run, failures: [] };
      });
      return c.json(detail, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Bill runs, newest first (runs of your areas)',
      query: BillRunListQuery,
      response: BillRunPage,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'billing.read', (tx, { actor }) => listRuns(tx, actor, c.req.valid('query'))),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'A bill run: status, progress counters and the accounts it could not bill',
      params: IdParam,
      response: BillRunDetail,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const detail = await inTenant(p, c, 'billing.read', async (tx, { actor }) => ({
        run: await findRun(tx, actor, id),
        failures: await runFailures(tx, id),
      }));
      return c.json(detail, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/cancel',
      tag,
      summary: 'Cancel a queued or running bill run (bills already written stay)',
      params: IdParam,
      body: z.object({}).strict(),
      response: BillRunDetail,
      status: 200,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const detail = await inTenant(p, c, 'billing.run', async (tx, { actor, tenantId, meta }) => {
        await cancelRun(tx, actor, id);
        const run = await findRun(tx, actor, id);
        await recordAudit(tx, tenantId, meta, {
          action: 'bill-runs.cancel',
          targetType: 'bill-run',
          targetId: id,
          after: run,
        });
        return { run, failures: await runFailures(tx, id) };
      });
      return c.json(detail, 200);
    },
  );
  return r;
}
