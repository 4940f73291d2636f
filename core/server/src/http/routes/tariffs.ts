import { AppError } from '@quadmeter/sdk';
import type { Platform } from '../../platform.ts';
import { quoteJson } from '../../services/billing/tariff/index.ts';
import { requireTenant } from '../../services/identity/actor.ts';
import { jsonRoute, router, z } from '../route-kit.ts';

/** Either suffices: designers try their tariffs, cashiers and billing staff explain a bill. */
export const QUOTE_PERMISSIONS = ['tariffs.manage', 'billing.read'] as const;

const Localized = z.object({ 'zh-CN': z.string(), en: z.string() });

const QuoteBody = z
  .strictObject({
    tariff: z.unknown().openapi({ description: 'A format-1 tariff (docs/tariffs.md)' }),
    usage: z.unknown().openapi({ description: 'The usage to price (docs/tariffs.md, "Usage")' }),
  })
  .refine((b) => b.tariff !== undefined && b.usage !== undefined, {
    message: 'give tariff and usage',
  })
  .openapi('TariffQuoteRequest');

const QuoteResponse = z
  .object({
    tariff: z.string(),
    period: z.object({ from: z.string(), to: z.string() }),
    segments: z.array(
      z.object({
        from: z.string(),
        to: z.string(),
        days: z.number(),
        tariffVersion: z.string(),
        consumption: z.string(),
      }),
    ),
    lines: z.array(
      z.object({
        component: z.string(),
        label: Localized,
        kind: z.string(),
        tier: z.number().optional(),
        band: z.string().optional(),
        quantity: z.string(),
        unit: z.string().optional(),
        price: z.string(),
        amount: z.string(),
        amountFen: z.number().int(),
        tariffVersion: z.string(),
        from: z.string(),
        to: z.string(),
      }),
    ),
    totalFen: z.number().int(),
  })
  .openapi('TariffQuote');

/**
 * POST /tariffs/quote: prices usage under a tariff given in the body, without an estate. Nothing
 * is read from or written to the database; the caller needs tariffs.manage or billing.read.
 */
export function tariffRoutes(_p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/quote',
      tag: 'billing',
      summary: 'Price usage under a tariff (bill lines and total in fen)',
      body: QuoteBody,
      response: QuoteResponse,
      status: 200,
    }),
    async (c) => {
      const actor = c.get('actor');
      if (!QUOTE_PERMISSIONS.some((k) => actor.permissions.has(k)))
        throw new AppError('AUTH_FORBIDDEN', `Missing permission ${QUOTE_PERMISSIONS.join(' or ')}`, {
          permission: QUOTE_PERMISSIONS.join('|'),
        });
      requireTenant(actor);
      const { tariff, usage } = c.req.valid('json');
      return c.json(quoteJson(tariff, usage), 200);
    },
  );
  return r;
}
