import { createRoute } from '@hono/zod-openapi';
import type { Platform } from '../../platform.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { recordAudit } from '../../services/audit/record.ts';
import {
  counterRules,
  getPayment,
  listPayments,
  receiptHtml,
  receiptView,
  requestReversal,
  takePayment,
} from '../../services/payments/index.ts';
import { ErrorSchema, IdParam, inTenant, jsonRoute, router, z } from '../route-kit.ts';
import {
  Payment,
  PaymentCreate,
  PaymentListQuery,
  PaymentPage,
  PaymentReversal,
  PaymentTaken,
  ReversalRequest,
} from './payment-schemas.ts';

const tag = 'payments';

const receiptRoute = createRoute({
  method: 'get',
  path: '/{id}/receipt',
  tags: [tag],
  summary: 'The printable receipt of a payment (zh-CN HTML page)',
  request: { params: IdParam },
  responses: {
    200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } },
    ...Object.fromEntries(
      [400, 401, 403, 404].map((s) => [
        s,
        { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } },
      ]),
    ),
  },
});

/** Counter payments: take (cash or card terminal), list, read, print, ask to reverse. */
export function paymentRoutes(p: Platform) {
  const r = router();
  const today = () => todayIn(p.config.QUADMETER_TIMEZONE);

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Take a counter payment (idempotent per key)',
      body: PaymentCreate,
      response: PaymentTaken,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'payments.collect', async (tx, { actor, tenantId, meta }) => {
        const { payment, replayed, areaPath } = await takePayment(
          tx,
          actor,
          tenantId,
          c.req.valid('json'),
          today(),
          await counterRules(tx, p.registry),
        );
        if (!replayed)
          await recordAudit(tx, tenantId, meta, {
            action: 'payments.take',
            targetType: 'payment',
            targetId: payment.id,
            areaPath,
            after: payment,
          });
        return { ...payment, replayed };
      });
      return c.json(out, 201);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Payments within your scope, newest first (keyset pages)',
      query: PaymentListQuery,
      response: PaymentPage,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'payments.read', (tx, { actor }) =>
          listPayments(tx, actor, c.req.valid('query')),
        ),
        200,
      ),
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'One payment',
      params: IdParam,
      response: Payment,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'payments.read', (tx, { actor }) =>
          getPayment(tx, actor, c.req.valid('param').id),
        ),
        200,
      ),
  );

  r.openapi(receiptRoute, async (c) => {
    const view = await inTenant(p, c, 'payments.read', (tx, { actor }) =>
      receiptView(tx, actor, c.req.valid('param').id, p.config.QUADMETER_TIMEZONE),
    );
    return c.html(receiptHtml(view), 200);
  });

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/reversal-requests',
      tag,
      summary: 'Ask for a mistaken payment to be reversed (a second person approves)',
      params: IdParam,
      body: ReversalRequest,
      response: PaymentReversal,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'payments.collect', async (tx, { actor, tenantId, meta }) => {
        const { reversal, areaPath } = await requestReversal(
          tx,
          actor,
          tenantId,
          c.req.valid('param').id,
          c.req.valid('json').reason,
        );
        await recordAudit(tx, tenantId, meta, {
          action: 'payments.reversal-request',
          targetType: 'payment',
          targetId: reversal.paymentId,
          areaPath,
          after: reversal,
        });
        return reversal;
      });
      return c.json(out, 201);
    },
  );
  return r;
}
