import type { Platform } from '../../platform.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { approveReversal, listReversals, rejectReversal } from '../../services/payments/index.ts';
import { IdParam, inTenant, jsonRoute, router, z } from '../route-kit.ts';
import { Payment, PaymentReversal, ReversalDecision, ReversalListQuery } from './payment-schemas.ts';

const tag = 'payments';
/** The second person's permission: approve or reject someone else's reversal request. */
export const APPROVE_PERMISSION = 'payments.reverse.approve';

export function paymentReversalRoutes(p: Platform) {
  const r = router();

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Reversal requests within your scope, newest first',
      query: ReversalListQuery,
      response: z.object({ items: z.array(PaymentReversal) }),
    }),
    async (c) =>
      c.json(
        {
          items: await inTenant(p, c, 'payments.read', (tx, { actor }) =>
            listReversals(tx, actor, c.req.valid('query')),
          ),
        },
        200,
      ),
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/approve',
      tag,
      summary: 'Approve a reversal: posts the reversal ledger entry (not your own request)',
      params: IdParam,
      body: ReversalDecision,
      response: z.object({ reversal: PaymentReversal, payment: Payment }),
      status: 200,
    }),
    async (c) => {
      const out = await inTenant(p, c, APPROVE_PERMISSION, async (tx, { actor, tenantId, meta }) => {
        const today = todayIn(p.config.QUADMETER_TIMEZONE);
        const done = await approveReversal(
          tx,
          actor,
          c.req.valid('param').id,
          today,
          c.req.valid('json').note,
        );
        await recordAudit(tx, tenantId, meta, {
          action: 'payments.reversal-approve',
          targetType: 'payment',
          targetId: done.payment.id,
          areaPath: done.areaPath,
          after: done.reversal,
        });
        return { reversal: done.reversal, payment: done.payment };
      });
      return c.json(out, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/reject',
      tag,
      summary: 'Reject a reversal request: the payment stands (not your own request)',
      params: IdParam,
      body: ReversalDecision,
      response: PaymentReversal,
      status: 200,
    }),
    async (c) => {
      const out = await inTenant(p, c, APPROVE_PERMISSION, async (tx, { actor, tenantId, meta }) => {
        const done = await rejectReversal(tx, actor, c.req.valid('param').id, c.req.valid('json').note);
        await recordAudit(tx, tenantId, meta, {
          action: 'payments.reversal-reject',
          targetType: 'payment',
          targetId: done.reversal.paymentId,
          areaPath: done.areaPath,
          after: done.reversal,
        });
        return done.reversal;
      });
      return c.json(out, 200);
    },
  );
  return r;
}
