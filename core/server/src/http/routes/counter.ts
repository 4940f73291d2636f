import type { Platform } from '../../platform.ts';
import { counterLookup } from '../../services/payments/index.ts';
import { inTenant, jsonRoute, router } from '../route-kit.ts';
import { CounterLookup, LookupQuery } from './payment-schemas.ts';

/** The cashier's counter search: accounts with balance and what they owe. */
export function counterRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/lookup',
      tag: 'payments',
      summary: 'Find accounts by account, customer, phone or meter number (with balance and owed)',
      query: LookupQuery,
      response: CounterLookup,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'payments.collect', (tx, { actor }) =>
          counterLookup(tx, actor, c.req.valid('query').q),
        ),
        200,
      ),
  );
  return r;
}
