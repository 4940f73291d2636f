import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { defineNotifier } from '../kinds/notifier.ts';
import { definePayment } from '../kinds/payment.ts';
import { defineTransport, type ReadResult } from '../kinds/transport.ts';
import type { PluginRequest } from '../plugin/http.ts';
import { secret } from '../plugin/secret.ts';
import { describeNotifierContract } from './notifier-contract.ts';
import { describePaymentContract } from './payment-contract.ts';
import { makeTestContext } from './test-context.ts';
import { describeTransportContract } from './transport-contract.ts';

// Small but honest implementations, so the suites themselves are exercised end to end.
const title = { 'zh-CN': '测试', en: 'Test' };
const header = { version: '0.1.0', apiVersion: 1, title } as const;

const sign = (key: string, body: Uint8Array) => createHmac('sha256', key).update(body).digest('hex');

const payment = definePayment({
  ...header,
  kind: 'payment',
  id: 'payment-hmac',
  config: z.object({ key: secret(z.string()).default('k-test') }),
  createOrder: async (o) => ({ orderId: o.orderId, status: 'pending', action: { type: 'none' } }),
  async parseNotification(req, ctx) {
    const given = req.headers['x-signature'] ?? '';
    const want = sign(ctx.config.key, req.body);
    if (given.length !== want.length || !timingSafeEqual(Buffer.from(given), Buffer.from(want))) {
      throw new AppError('REQ_VALIDATION', 'bad signature');
    }
    const body = JSON.parse(new TextDecoder().decode(req.body)) as {
      order: string;
      txn: string;
      fen: number;
    };
    return {
      outcome: { orderId: body.order, providerTxnId: body.txn, status: 'paid', amountFen: body.fen },
      ack: { status: 200, body: 'success' },
    };
  },
  query: async (orderId) => ({ orderId, providerTxnId: '', status: 'pending', amountFen: 0 }),
  refund: async (r) => ({ refundId: r.refundId, status: 'pending' }),
  reconcile: async () => [],
});

const body = new TextEncoder().encode(JSON.stringify({ order: 'A1', txn: 'T9', fen: 1234 }));
const request = (headers: Record<string, string>, b = body): PluginRequest => ({
  method: 'POST',
  path: '/notify',
  params: {},
  query: {},
  headers,
  body: b,
});

describePaymentContract(payment, {
  forgedNotifications: [request({}), request({ 'x-signature': sign('other-key', body) })],
  validNotification: {
    request: request({ 'x-signature': sign('k-test', body) }),
    expect: { orderId: 'A1', amountFen: 1234, status: 'paid' },
  },
  signatureHeaders: ['x-signature'],
});

const delivered: string[] = [];
const notifier = defineNotifier({
  ...header,
  kind: 'notifier',
  id: 'notifier-memory',
  channel: 'memory',
  async send(m) {
    if (delivered.includes(m.id)) return { duplicate: true };
    delivered.push(m.id);
    return { providerId: `p-${m.id}`, duplicate: false };
  },
  classify: (e) => (e instanceof AppError && e.status < 500 ? 'drop' : 'retry'),
});

describeNotifierContract(notifier, {
  harness: {
    message: { id: 'm-1', tenantId: 't', to: 'someone', body: 'hello' },
    open: async () => ({
      ctx: makeTestContext({ pluginId: notifier.id, config: undefined }).ctx,
      deliveries: () => delivered.filter((id) => id === 'm-1').length,
      close: async () => {},
    }),
  },
});

const table = new Map([['000000000001', 12.5]]);
const transport = defineTransport({
  ...header,
  kind: 'transport',
  id: 'transport-memory',
  protocols: ['memory'],
  mode: 'poll',
  async *read(req): AsyncIterable<ReadResult> {
    for (const m of req.meters) {
      if (req.signal.aborted) return;
      const v = table.get(m.ref.address);
      yield v === undefined
        ? {
            meterId: m.meterId,
            ok: false,
            error: { code: 'NO_REPLY', message: 'no such meter', retryable: true },
          }
        : {
            meterId: m.meterId,
            ok: true,
            reading: {
              route: { via: 'serial', line: req.line.id, address: m.ref.address },
              kind: 'realtime',
              measuredAt: '2025-01-01T00:00:00.000Z',
              receivedAt: '2025-01-01T00:00:01.000Z',
              registers: { totalVolume: String(v) },
              idempotencyKey: `memory:${m.ref.address}:2025-01-01T00:00:00.000Z`,
              tenantId: req.tenantId,
            },
          };
    }
  },
  control: async (c) => ({ commandId: c.id, ok: true }),
});

describeTransportContract(transport, {
  harness: {
    open: async () => ({
      ctx: makeTestContext({ pluginId: transport.id, config: undefined }).ctx,
      close: async () => {},
    }),
    request: {
      tenantId: '00000000-0000-4000-8000-000000000001',
      line: { id: 'line-1', params: {} },
      meters: [
        { meterId: 'a', ref: { protocol: 'memory', address: '000000000001' } },
        { meterId: 'b', ref: { protocol: 'memory', address: '000000000002' } },
      ],
    },
    command: {
      id: 'c-1',
      tenantId: 't',
      meterId: 'a',
      ref: { protocol: 'memory', address: '000000000001' },
      action: 'valve-close',
    },
  },
});
