import type { Platform } from '../../platform.ts';
import { meterKinds } from '../../services/archives/meter-kinds.ts';
import { meterConsumption, meterReadings } from '../../services/reading-tasks/series.ts';
import { zone } from '../../services/readings/zone.ts';
import { IdParam, inTenant, jsonRoute, router, text, z } from '../route-kit.ts';

const tag = 'meters';
const Instant = z.iso.datetime({ offset: true });

const ReadingPoint = z
  .object({
    kind: z.string(),
    ts: z.string(),
    /** the main register, decimal string */
    value: z.string().nullable(),
    registers: z.record(z.string(), z.string().nullable()).nullable(),
    flags: z.array(z.string()),
    receivedAt: z.string(),
    /** the status word, the protocol it came from and its fields as the meter type decodes them */
    status: z
      .object({
        word: z.number(),
        protocol: z.string().nullable(),
        fields: z.record(z.string(), z.union([z.boolean(), z.string()])),
      })
      .nullable(),
  })
  .openapi('ReadingPoint');

const ConsumptionPoint = z
  .object({ period: z.string(), usage: z.string(), readings: z.number(), rolledOver: z.boolean() })
  .openapi('ConsumptionPoint');

/** A meter's readings and consumption series (mounted under /meters). */
export function meterReadingRoutes(p: Platform) {
  const r = router();
  const z0 = zone(p.config.QUADMETER_TIMEZONE);
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/readings',
      tag,
      summary: 'A meter’s stored readings, newest first',
      params: IdParam,
      query: z.object({
        kind: z.enum(['realtime', 'daily', 'monthly', 'manual', 'estimated']).optional(),
        from: Instant.optional(),
        to: Instant.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        after: text(1, 2000).optional(),
      }),
      response: z
        .object({ items: z.array(ReadingPoint), next: z.string().nullable() })
        .openapi('ReadingPage'),
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', (tx, { actor }) =>
          meterReadings(tx, actor, c.req.valid('param').id, c.req.valid('query'), (kind) => {
            const kinds = meterKinds(p.registry);
            return kinds.ids.has(kind) ? kinds.plugin(kind) : undefined;
          }),
        ),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/consumption',
      tag,
      summary: 'A meter’s consumption per day or month (tenant zone), oldest first',
      params: IdParam,
      query: z
        .object({
          granularity: z.enum(['day', 'month']).default('day'),
          /** day: YYYY-MM-DD, month: YYYY-MM */
          from: z
            .string()
            .regex(/^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/)
            .optional(),
          to: z
            .string()
            .regex(/^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/)
            .optional(),
        })
        .refine(
          (q) =>
            [q.from, q.to].every((d) => d === undefined || d.length === (q.granularity === 'day' ? 10 : 7)),
          { message: 'from/to are dates for granularity day, months for month', path: ['from'] },
        ),
      response: z
        .object({
          granularity: z.enum(['day', 'month']),
          from: z.string(),
          to: z.string(),
          items: z.array(ConsumptionPoint),
        })
        .openapi('ConsumptionSeries'),
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', (tx, { actor }) =>
          meterConsumption(tx, actor, c.req.valid('param').id, c.req.valid('query'), z0),
        ),
        200,
      ),
  );
  return r;
}
