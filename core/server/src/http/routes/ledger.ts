import { AppError } from '@quadmeter/sdk';
import type { Platform } from '../../platform.ts';
import { getAccount } from '../../services/archives/accounts.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { recordAudit } from '../../services/audit/record.ts';
import {
  allocate,
  balanceOf,
  checkLedger,
  getEntry,
  reverseEntry,
} from '../../services/billing/ledger/index.ts';
import { requirePermission, requireWholeTenant } from '../../services/identity/actor.ts';
import { inTenant, jsonRoute, router } from '../route-kit.ts';
import { EntryIdParam, LedgerCheck, ReversalBody, ReversalResult } from './ledger-schemas.ts';

const tag = 'ledger';

/** Kinds whose reversal gives money back to or takes it from the customer's payments. */
const PAYMENT_KINDS = new Set(['payment', 'topup']);

/** POST /ledger-entries/{id}/reversal: undo one entry with a reason (area scope of its account). */
export function ledgerEntryRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/reversal',
      tag,
      summary: 'Reverse a ledger entry with a reason (a payment or top-up also needs payments.refund)',
      params: EntryIdParam,
      body: ReversalBody,
      response: ReversalResult,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'billing.run', async (tx, { actor, tenantId, meta }) => {
        const target = await getEntry(tx, c.req.valid('param').id);
        const account = await getAccount(tx, actor, target.accountId);
        // a counter payment (and its reversal) goes through the four-eyes payment reversal
        if (target.paymentId !== null)
          throw new AppError('LEDGER_REVERSAL_VIA_PAYMENT', undefined, {
            id: target.id,
            paymentId: target.paymentId,
          });
        if (PAYMENT_KINDS.has(target.kind)) requirePermission(actor, 'payments.refund');
        const body = c.req.valid('json');
        const today = todayIn(p.config.QUADMETER_TIMEZONE);
        const entry = await reverseEntry(tx, target.id, {
          reason: body.reason,
          by: actor.id,
          occurredOn: body.occurredOn ?? today,
        });
        await allocate(tx, account.id, { asOf: today });
        await recordAudit(tx, tenantId, meta, {
          action: 'ledger.reverse',
          targetType: 'account',
          targetId: account.id,
          areaPath: account.areaPath,
          before: { entryId: target.id, kind: target.kind, amountFen: target.amountFen },
          after: { entryId: entry.id, amountFen: entry.amountFen, reason: body.reason },
        });
        return { entry, balanceFen: (await balanceOf(tx, account.id)).balanceFen };
      });
      return c.json(out, 201);
    },
  );
  return r;
}

/** GET /ledger/check: the tenant-wide consistency check of cached balances against the entries. */
export function ledgerRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/check',
      tag,
      summary: 'Compare every cached balance with its entries (tenant-wide users holding billing.run)',
      response: LedgerCheck,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'billing.run', async (tx, { actor }) => {
          requireWholeTenant(actor);
          return await checkLedger(tx);
        }),
        200,
      ),
  );
  return r;
}
