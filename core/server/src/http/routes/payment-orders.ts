import type { Context } from 'hono';
import type { Platform } from '../../platform.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { recordAudit } from '../../services/audit/record.ts';
import {
  closeOrder,
  createOrder,
  getOrder,
  listOrders,
  queryOrder,
  reconcileDay,
  refundOrder,
} from '../../services/payments/online/index.ts';
import type { AppEnv } from '../env.ts';
import { IdParam, inTenant, jsonRoute, router } from '../route-kit.ts';
import {
  PaymentOrderChecked,
  PaymentOrderCreate,
  PaymentOrderDetail,
  PaymentOrderListQuery,
  PaymentOrderPage,
  PaymentRefundCreate,
  PaymentRefunded,
  ReconcileReport,
  ReconcileRequest,
} from './payment-order-schemas.ts';

const tag = 'payment-orders';

/** Where providers call back: QUADMETER_PUBLIC_URL when set, else the origin this request came to. */
function notifyBase(p: Platform, c: Context<AppEnv>): string {
  return (p.config.QUADMETER_PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/$/, '');
}

/** Online payment orders: create for an account, list, read, query the provider, close, refund. */
export function paymentOrderRoutes(p: Platform) {
  const r = router();
  const today = () => todayIn(p.config.QUADMETER_TIMEZONE);

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Create an online payment order for an account (QR code or JSAPI parameters to pay)',
      body: PaymentOrderCreate,
      response: PaymentOrderDetail,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'payments.collect', async (tx, { actor, tenantId, meta }) => {
        const { order, areaPath } = await createOrder(
          tx,
          p.registry,
          actor,
          tenantId,
          c.req.valid('json'),
          notifyBase(p, c),
        );
        await recordAudit(tx, tenantId, meta, {
          action: 'payment-orders.create',
          targetType: 'payment-order',
          targetId: order.id,
          areaPath,
          after: { orderNo: order.orderNo, amountFen: order.amountFen, provider: order.provider },
        });
        return order;
      });
      return c.json(out, 201);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Payment orders within your scope, newest first (keyset pages)',
      query: PaymentOrderListQuery,
      response: PaymentOrderPage,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'payments.read', (tx, { actor }) => listOrders(tx, actor, c.req.valid('query'))),
        200,
      ),
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/reconciliations',
      tag,
      summary: "Compare a day of the provider's statement file with our orders and refunds (对账)",
      body: ReconcileRequest,
      response: ReconcileReport,
      status: 200,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'payments.read', (tx, { actor, tenantId }) =>
        reconcileDay(tx, p.db, p.registry, actor, tenantId, c.req.valid('json'), p.config.QUADMETER_TIMEZONE),
      );
      return c.json(out, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'One payment order with its refunds',
      params: IdParam,
      response: PaymentOrderDetail,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'payments.read', (tx, { actor }) =>
          getOrder(tx, actor, c.req.valid('param').id),
        ),
        200,
      ),
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/query',
      tag,
      summary: 'Ask the provider now; a paid order is credited (once)',
      params: IdParam,
      response: PaymentOrderChecked,
      status: 200,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'payments.collect', async (tx, { actor, tenantId }) => {
        const done = await queryOrder(tx, p.registry, actor, tenantId, c.req.valid('param').id, today());
        return { ...done.order, applied: done.applied };
      });
      return c.json(out, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/close',
      tag,
      summary: 'Close an unpaid order, after asking the provider (paid meanwhile: credited instead)',
      params: IdParam,
      response: PaymentOrderChecked,
      status: 200,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'payments.collect', async (tx, { actor, tenantId, meta }) => {
        const done = await closeOrder(tx, p.registry, actor, tenantId, c.req.valid('param').id, today());
        await recordAudit(tx, tenantId, meta, {
          action: 'payment-orders.close',
          targetType: 'payment-order',
          targetId: done.order.id,
          areaPath: done.areaPath,
          after: { status: done.order.status, applied: done.applied },
        });
        return { ...done.order, applied: done.applied };
      });
      return c.json(out, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/refunds',
      tag,
      summary: 'Refund part or all of a paid order (idempotent per refund number)',
      params: IdParam,
      body: PaymentRefundCreate,
      response: PaymentRefunded,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'payments.refund', async (tx, { actor, tenantId, meta }) => {
        const body = c.req.valid('json');
        const done = await refundOrder(
          tx,
          p.registry,
          actor,
          tenantId,
          c.req.valid('param').id,
          body,
          today(),
        );
        if (!done.replayed)
          await recordAudit(tx, tenantId, meta, {
            action: 'payment-orders.refund',
            targetType: 'payment-order',
            targetId: done.order.id,
            areaPath: done.areaPath,
            after: { refundNo: body.refundNo, amountFen: body.amountFen.toString(), reason: body.reason },
          });
        return { ...done.order, replayed: done.replayed };
      });
      return c.json(out, 201);
    },
  );
  return r;
}
