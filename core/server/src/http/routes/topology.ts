import type { Platform } from '../../platform.ts';
import { topology } from '../../services/archives/topology.ts';
import { inTenant, jsonRoute, router, z } from '../route-kit.ts';

export function topologyRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag: 'gateways',
      summary: 'The tree concentrator → collectors → meters (with routes), within your scope',
      query: z.object({ concentratorId: z.uuid().optional() }),
      response: z.object({
        items: z.array(
          z.object({
            concentrator: z.record(z.string(), z.unknown()),
            collectors: z.array(
              z.object({
                collector: z.record(z.string(), z.unknown()),
                meters: z.array(z.record(z.string(), z.unknown())),
              }),
            ),
            meters: z.array(z.record(z.string(), z.unknown())),
          }),
        ),
      }),
    }),
    async (c) =>
      c.json(
        {
          items: await inTenant(p, c, 'meters.read', (tx, { actor }) =>
            topology(tx, actor, c.req.valid('query').concentratorId),
          ),
        },
        200,
      ),
  );
  return r;
}
