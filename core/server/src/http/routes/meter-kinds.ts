import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../../platform.ts';
import { meterKinds } from '../../services/archives/meter-kinds.ts';
import type { AppEnv } from '../env.ts';
import { inTenant, jsonRoute, z } from '../route-kit.ts';

const Localized = z.object({ 'zh-CN': z.string(), en: z.string() });
const MeterKind = z
  .object({
    id: z.string(),
    title: Localized,
    medium: z.enum(['water', 'electricity', 'gas', 'heat']),
    registers: z.array(
      z.object({
        key: z.string(),
        title: Localized,
        unit: z.string(),
        decimals: z.number(),
        kind: z.enum(['cumulative', 'instant', 'state']),
        billable: z.boolean(),
      }),
    ),
    /** the fields of the status word, as the reading's `status.fields` names them */
    statusFields: z.array(z.object({ key: z.string(), title: Localized })),
  })
  .openapi('MeterKind');

/**
 * GET /meters/kinds: the meter kinds (running meter-type plugins) with their titles and registers,
 * for anyone who reads meters — the plugin catalogue itself needs plugins.read. Register it before
 * the router's `/{id}` routes so `kinds` is not taken for an id.
 */
export function registerMeterKinds(r: OpenAPIHono<AppEnv>, p: Platform) {
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/kinds',
      tag: 'meters',
      summary: 'The meter kinds a meter may have, with their registers',
      response: z.object({ items: z.array(MeterKind) }),
    }),
    async (c) => {
      const items = await inTenant(p, c, 'meters.read', async () => {
        const kinds = meterKinds(p.registry);
        return [...kinds.ids].sort().map((id) => {
          const plugin = kinds.plugin(id);
          return {
            id,
            title: plugin.title,
            medium: plugin.medium,
            registers: plugin.registers.map((g) => ({
              key: g.key,
              title: g.title,
              unit: g.unit,
              decimals: g.decimals,
              kind: g.kind,
              billable: g.billable,
            })),
            statusFields: plugin.statusFields.map((f) => ({ key: f.key, title: f.title })),
          };
        });
      });
      return c.json({ items }, 200);
    },
  );
}
