import { AppError } from '@quadmeter/sdk';
import type { Context } from 'hono';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import type { Platform } from '../../platform.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { recordAudit } from '../../services/audit/record.ts';
import {
  type BindOutcome,
  bindWithCode,
  CODE_TTL_MINUTES,
  requireBound,
  sendCode,
  unbind,
} from '../../services/self/bindings.ts';
import { bindWithIdDigits } from '../../services/self/id-digits.ts';
import { checkSelfOrder, createSelfOrder, selfOrder } from '../../services/self/pay.ts';
import {
  accountBills,
  accountMeters,
  accountNotices,
  accountPayments,
  boundAccounts,
  meterUsage,
} from '../../services/self/reads.ts';
import { selfReceipt } from '../../services/self/receipt.ts';
import { type Customer, inCustomer } from '../../services/self/session.ts';
import { requireMethod, selfSettings } from '../../services/self/settings.ts';
import type { AppEnv } from '../env.ts';
import { zodDetails } from '../on-error.ts';
import { router } from '../route-kit.ts';
import { selfCookie, selfMeta } from './self-auth.ts';

const AccountNumber = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);
const CodeBody = z.strictObject({ accountNumber: AccountNumber });
const BindBody = z.strictObject({ accountNumber: AccountNumber, code: z.string().regex(/^[0-9]{6}$/) });
const IdBindBody = z.strictObject({
  accountNumber: AccountNumber,
  idDigits: z.string().regex(/^[0-9]{5}[0-9Xx]$/),
});
const OrderBody = z.union([
  z.strictObject({ amountFen: z.number().int().min(1).max(10_000_000) }),
  z.strictObject({ billId: z.uuid() }),
]);
const Id = z.uuid();
const UsageQuery = z.strictObject({
  meterId: z.uuid(),
  period: z.enum(['daily', 'monthly']).default('daily'),
});

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('REQ_VALIDATION', undefined, zodDetails(r.error));
  return r.data;
}

const idOf = (c: Context<AppEnv>) => parse(Id, c.req.param('id'));

/** Customer self-service (decision 0037): only what the signed-in customer's bindings reach. */
export function selfRoutes(p: Platform) {
  const r = router();
  const notifyBase = (c: Context<AppEnv>) =>
    (p.config.QUADMETER_PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/$/, '');

  r.get('/accounts', async (c) =>
    c.json({ items: await inCustomer(p.db, selfCookie(c), (tx, who) => boundAccounts(tx, who)) }, 200),
  );

  // the binding methods the tenant offers, for the H5 to show (decision 0046)
  r.get('/settings', async (c) =>
    c.json(await inCustomer(p.db, selfCookie(c), (tx) => selfSettings(tx)), 200),
  );

  r.post('/codes', async (c) => {
    const body = parse(CodeBody, await c.req.json());
    await inCustomer(p.db, selfCookie(c), async (tx, who) => {
      await requireMethod(tx, 'sms');
      const sent = await sendCode(tx, who, body.accountNumber);
      if (sent.accountId)
        await recordAudit(tx, who.tenantId, selfMeta(c, who), {
          action: 'self.code-sent',
          targetType: 'account',
          targetId: sent.accountId,
        });
    });
    return c.json({ sent: true, ttlMinutes: CODE_TTL_MINUTES }, 202);
  });

  /**
   * One binding route per method (SMS code, ID digits): the method must be offered, the attempt is
   * counted and committed before any refusal, and an account is audited once when first bound.
   */
  function bindRoute<T extends { accountNumber: string }>(
    path: string,
    spec: {
      body: z.ZodType<T>;
      method: 'sms' | 'id_digits';
      audited: string;
      bind: (tx: Tx, who: Customer, body: T) => Promise<BindOutcome>;
      refusal: 'SELF_CODE_INVALID' | 'SELF_BIND_FAILED';
    },
  ) {
    r.post(path, async (c) => {
      const body = parse(spec.body, await c.req.json());
      const out = await inCustomer(p.db, selfCookie(c), async (tx, who) => {
        await requireMethod(tx, spec.method);
        const done = await spec.bind(tx, who, body);
        if (done.kind !== 'bound') return done;
        if (done.created)
          await recordAudit(tx, who.tenantId, selfMeta(c, who), {
            action: 'self.bind',
            targetType: 'account',
            targetId: done.accountId,
            after: { method: spec.audited },
          });
        return { ...done, account: (await boundAccounts(tx, who, done.accountId))[0] };
      });
      // the counted try is committed above; only now the refusal (same answer for unknown accounts)
      if (out.kind === 'limited')
        throw new AppError('SELF_RATE_LIMITED', undefined, { retryAfterSeconds: 3600 });
      if (out.kind === 'wrong') throw new AppError(spec.refusal);
      return c.json(out.account, out.created ? 201 : 200);
    });
  }

  bindRoute('/bindings', {
    body: BindBody,
    method: 'sms',
    audited: 'sms',
    bind: (tx, who, b) => bindWithCode(tx, who, b.accountNumber, b.code),
    refusal: 'SELF_CODE_INVALID',
  });

  bindRoute('/bindings/id-digits', {
    body: IdBindBody,
    method: 'id_digits',
    audited: 'id_number',
    bind: (tx, who, b) => bindWithIdDigits(tx, who, b.accountNumber, b.idDigits),
    refusal: 'SELF_BIND_FAILED',
  });

  r.delete('/bindings/:id', async (c) => {
    const id = idOf(c);
    await inCustomer(p.db, selfCookie(c), async (tx, who) => {
      await unbind(tx, who, id);
      await recordAudit(tx, who.tenantId, selfMeta(c, who), {
        action: 'self.unbind',
        targetType: 'account',
        targetId: id,
      });
    });
    return c.body(null, 204);
  });

  r.get('/accounts/:id', async (c) => {
    const id = idOf(c);
    const out = await inCustomer(p.db, selfCookie(c), async (tx, who) => {
      await requireBound(tx, who, id);
      const [account] = await boundAccounts(tx, who, id);
      return { ...account, meters: await accountMeters(tx, id) };
    });
    return c.json(out, 200);
  });

  r.get('/accounts/:id/usage', async (c) => {
    const id = idOf(c);
    const q = parse(UsageQuery, c.req.query());
    const out = await inCustomer(p.db, selfCookie(c), async (tx, who) => {
      await requireBound(tx, who, id);
      return meterUsage(tx, id, q.meterId, q.period);
    });
    return c.json(out, 200);
  });

  const listOf =
    (read: (tx: Parameters<typeof accountBills>[0], id: string) => Promise<unknown[]>) =>
    async (c: Context<AppEnv>) => {
      const id = idOf(c);
      const items = await inCustomer(p.db, selfCookie(c), async (tx, who) => {
        await requireBound(tx, who, id);
        return read(tx, id);
      });
      return c.json({ items }, 200);
    };
  r.get('/accounts/:id/bills', listOf(accountBills));
  r.get('/accounts/:id/payments', listOf(accountPayments));
  r.get('/accounts/:id/notices', listOf(accountNotices));

  r.post('/accounts/:id/orders', async (c) => {
    const id = idOf(c);
    const body = parse(OrderBody, await c.req.json());
    const out = await inCustomer(p.db, selfCookie(c), async (tx, who) => {
      const made = await createSelfOrder(
        tx,
        p.registry,
        who,
        id,
        'amountFen' in body ? { amountFen: BigInt(body.amountFen) } : { billId: body.billId },
        notifyBase(c),
      );
      await recordAudit(tx, who.tenantId, selfMeta(c, who), {
        action: 'self.order',
        targetType: 'payment-order',
        targetId: made.order.id,
        areaPath: made.areaPath,
        after: { orderNo: made.order.orderNo, amountFen: made.order.amountFen },
      });
      return made.order;
    });
    return c.json(out, 201);
  });

  r.get('/orders/:id', async (c) => {
    const id = idOf(c);
    return c.json(await inCustomer(p.db, selfCookie(c), (tx, who) => selfOrder(tx, who, id)), 200);
  });

  r.post('/orders/:id/check', async (c) => {
    const id = idOf(c);
    const out = await inCustomer(p.db, selfCookie(c), async (tx, who) => {
      const done = await checkSelfOrder(tx, p.registry, who, id, todayIn(p.config.QUADMETER_TIMEZONE));
      if (done.applied !== 'unchanged')
        await recordAudit(tx, who.tenantId, selfMeta(c, who), {
          action: 'self.order-check',
          targetType: 'payment-order',
          targetId: id,
          areaPath: done.areaPath,
          after: { status: done.order.status, applied: done.applied },
        });
      return done.order;
    });
    return c.json(out, 200);
  });

  r.get('/payments/:id/receipt', async (c) => {
    const id = idOf(c);
    const out = await inCustomer(p.db, selfCookie(c), async (tx, who) => {
      const r = await selfReceipt(tx, who, id, p.config.QUADMETER_TIMEZONE);
      if (r.issued)
        await recordAudit(tx, who.tenantId, selfMeta(c, who), {
          action: 'self.receipt-issued',
          targetType: 'document',
          targetId: r.doc.id,
          after: { number: r.doc.number, paymentId: id },
        });
      return r;
    });
    return c.html(out.html, 200, { 'cache-control': 'no-store' });
  });
  return r;
}
