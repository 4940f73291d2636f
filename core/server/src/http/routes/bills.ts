import type { Platform } from '../../platform.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { adjustBill } from '../../services/billing/bills/adjust.ts';
import { cancelBill, rebill } from '../../services/billing/bills/cancel.ts';
import { billDetail } from '../../services/billing/bills/detail.ts';
import { billExportStream } from '../../services/billing/bills/export.ts';
import { listBills } from '../../services/billing/bills/list.ts';
import { approveBills } from '../../services/billing/bills/review.ts';
import { IdParam, inTenant, jsonRoute, router } from '../route-kit.ts';
import {
  AdjustBody,
  Adjusted,
  Approved,
  ApproveMany,
  BillDetail,
  BillListQuery,
  BillPage,
  CancelBody,
  Cancelled,
  Rebilled,
} from './bill-schemas.ts';
import { registerXlsxExport } from './xlsx-export.ts';

const tag = 'billing';

/**
 * Bills: list and "why this amount" detail (billing.read), approving held bills (billing.run),
 * cancelling, re-billing and adjusting (billing.adjust). A scoped user sees and acts on the bills
 * of their areas only; every change is audited with the bill's area path.
 */
export function billRoutes(p: Platform) {
  const r = router();
  const today = () => todayIn(p.config.QUADMETER_TIMEZONE);
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Bills, newest period first',
      query: BillListQuery,
      response: BillPage,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'billing.read', (tx, { actor }) => listBills(tx, actor, c.req.valid('query'))),
        200,
      ),
  );
  // before `/{id}`, so `export.xlsx` is not taken for an id
  registerXlsxExport(r, {
    tag,
    summary: 'The filtered bills as xlsx, streamed',
    permission: 'billing.read',
    fileName: 'bills.xlsx',
    filter: BillListQuery.omit({ after: true, limit: true }),
    stream: (actor, tenantId, filter, lang) => billExportStream(p, actor, tenantId, filter, lang),
  });
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary:
        'A bill with its lines, the readings and tariff version behind each, its ledger entries and what is paid',
      params: IdParam,
      response: BillDetail,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await inTenant(p, c, 'billing.read', (tx, { actor }) => billDetail(tx, actor, id)), 200);
    },
  );
  const approve = (c: Parameters<Parameters<typeof r.openapi>[1]>[0], ids: string[]) =>
    inTenant(p, c, 'billing.run', async (tx, { actor, tenantId, meta }) => {
      const done = await approveBills(tx, actor, ids, today());
      for (const b of done)
        await recordAudit(tx, tenantId, meta, {
          action: 'bills.approve',
          targetType: 'bill',
          targetId: b.id,
          areaPath: b.areaPath,
          after: { status: 'issued', dueDate: b.dueDate },
        });
      return { approved: done.map((b) => ({ id: b.id, dueDate: b.dueDate })) };
    });
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/approve',
      tag,
      summary: 'Approve held bills (all or none): issue them and post their charges',
      body: ApproveMany,
      response: Approved,
      status: 200,
    }),
    async (c) => c.json(await approve(c, c.req.valid('json').ids), 200),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/approve',
      tag,
      summary: 'Approve one held bill',
      params: IdParam,
      response: Approved,
      status: 200,
    }),
    async (c) => c.json(await approve(c, [c.req.valid('param').id]), 200),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/cancel',
      tag,
      summary: 'Cancel a bill with a reason: its ledger entries are reversed',
      params: IdParam,
      body: CancelBody,
      response: Cancelled,
      status: 200,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { reason } = c.req.valid('json');
      const out = await inTenant(p, c, 'billing.adjust', async (tx, { actor, tenantId, meta }) => {
        const done = await cancelBill(tx, actor, id, reason, today());
        await recordAudit(tx, tenantId, meta, {
          action: 'bills.cancel',
          targetType: 'bill',
          targetId: id,
          areaPath: done.head.areaPath,
          before: { status: done.head.status },
          after: { status: 'cancelled', reason, reversals: done.reversals },
        });
        return { id, status: 'cancelled' as const, reversals: done.reversals };
      });
      return c.json(out, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/rebill',
      tag,
      summary: 'Cancel a bill and bill its account and period again (a bill run replacing it)',
      params: IdParam,
      body: CancelBody,
      response: Rebilled,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { reason } = c.req.valid('json');
      const out = await inTenant(p, c, 'billing.adjust', async (tx, { actor, tenantId, meta }) => {
        const done = await rebill(tx, actor, tenantId, p.jobs, id, reason, today());
        await recordAudit(tx, tenantId, meta, {
          action: 'bills.rebill',
          targetType: 'bill',
          targetId: id,
          areaPath: done.head.areaPath,
          before: { status: done.head.status },
          after: { status: 'cancelled', reason, reversals: done.reversals, runId: done.runId },
        });
        return { id, status: 'cancelled' as const, reversals: done.reversals, runId: done.runId };
      });
      return c.json(out, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/adjustments',
      tag,
      summary: 'Adjust an issued bill (补差/退补) by an amount in fen, with a reason',
      params: IdParam,
      body: AdjustBody,
      response: Adjusted,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const out = await inTenant(p, c, 'billing.adjust', async (tx, { actor, tenantId, meta }) => {
        const done = await adjustBill(tx, actor, id, body, today());
        await recordAudit(tx, tenantId, meta, {
          action: 'bills.adjust',
          targetType: 'bill',
          targetId: id,
          areaPath: done.head.areaPath,
          after: { ...body, entryId: done.entryId, principalFen: done.principalFen },
        });
        return { id, entryId: done.entryId, principalFen: done.principalFen };
      });
      return c.json(out, 201);
    },
  );
  return r;
}
