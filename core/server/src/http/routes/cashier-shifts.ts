import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { closeShift, currentShift, listShifts, openShift } from '../../services/payments/index.ts';
import { IdParam, inTenant, jsonRoute, router, z } from '../route-kit.ts';
import { CashierShift, ShiftClose, ShiftListQuery, ShiftOpen } from './payment-schemas.ts';

const tag = 'payments';

/**
 * Cashier shifts. A cashier opens and closes only their own; a whole-tenant holder of
 * payments.read sees everyone's (the totals span every area), anyone else only their own.
 */
export function cashierShiftRoutes(p: Platform) {
  const r = router();

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Cashier shifts, newest first',
      query: ShiftListQuery,
      response: z.object({ items: z.array(CashierShift) }),
    }),
    async (c) => {
      const items = await inTenant(p, c, 'payments.collect', (tx, { actor }) => {
        const q = c.req.valid('query');
        const everyone =
          actor.permissions.has('payments.read') && actor.areaScope === null && q.mine !== 'true';
        return listShifts(tx, {
          cashierId: everyone ? undefined : actor.id,
          status: q.status,
          limit: q.limit,
        });
      });
      return c.json({ items }, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/current',
      tag,
      summary: 'Your open shift with its running totals',
      response: z.object({ shift: CashierShift.nullable() }),
    }),
    async (c) =>
      c.json(
        { shift: await inTenant(p, c, 'payments.collect', (tx, { actor }) => currentShift(tx, actor)) },
        200,
      ),
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Open your shift with its opening float',
      body: ShiftOpen,
      response: CashierShift,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'payments.collect', async (tx, { actor, tenantId, meta }) => {
        const shift = await openShift(tx, actor, tenantId, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'cashier-shifts.open',
          targetType: 'cashier-shift',
          targetId: shift.id,
          after: shift,
        });
        return shift;
      });
      return c.json(out, 201);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/close',
      tag,
      summary: 'Close your shift: counted cash against expected, hand-over totals',
      params: IdParam,
      body: ShiftClose,
      response: CashierShift,
      status: 200,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'payments.collect', async (tx, { actor, tenantId, meta }) => {
        const shift = await closeShift(tx, actor, c.req.valid('param').id, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'cashier-shifts.close',
          targetType: 'cashier-shift',
          targetId: shift.id,
          after: shift,
        });
        return shift;
      });
      return c.json(out, 200);
    },
  );
  return r;
}
