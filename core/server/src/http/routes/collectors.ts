import { collectorInterfaces } from '../../db/schema/index.ts';
import type { Platform } from '../../platform.ts';
import {
  collectorDto,
  createCollector,
  findCollector,
  listCollectors,
  updateCollector,
} from '../../services/archives/gateways.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { IdParam, inTenant, jsonRoute, patchBody, router, text, z } from '../route-kit.ts';
import { CustomBody } from './meter-schemas.ts';

const tag = 'gateways';
const fields = {
  number: text(1, 64),
  interface: z.enum(collectorInterfaces),
  address: text(1, 16),
  concentratorId: z.uuid().nullable().optional(),
  areaId: z.uuid(),
  status: z.enum(['active', 'removed']).optional(),
  custom: CustomBody.optional(),
};
const Collector = z
  .object({
    id: z.string(),
    number: z.string(),
    interface: z.enum(collectorInterfaces),
    address: z.string(),
    concentratorId: z.string().nullable(),
    areaId: z.string(),
    areaPath: z.array(z.string()),
    status: z.string(),
    custom: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi('Collector');

export function collectorRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Collectors within your scope',
      query: z.object({ concentratorId: z.uuid().optional() }),
      response: z.object({ items: z.array(Collector) }),
    }),
    async (c) =>
      c.json(
        {
          items: await inTenant(p, c, 'meters.read', (tx, { actor }) =>
            listCollectors(tx, actor, c.req.valid('query').concentratorId),
          ),
        },
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'One collector',
      params: IdParam,
      response: Collector,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', async (tx, { actor }) => {
          const { c: row, path } = await findCollector(tx, actor, c.req.valid('param').id);
          return collectorDto(row, path);
        }),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Add a collector (采集器)',
      body: z.object(fields).strict(),
      response: Collector,
    }),
    async (c) => {
      const row = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const made = await createCollector(tx, actor, tenantId, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'collectors.create',
          targetType: 'collector',
          targetId: made.id,
          areaPath: made.areaPath,
          after: made,
        });
        return made;
      });
      return c.json(row, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}',
      tag,
      summary: 'Change a collector',
      params: IdParam,
      body: patchBody(z.object(fields).partial().strict()),
      response: Collector,
    }),
    async (c) => {
      const row = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const { before, after } = await updateCollector(
          tx,
          actor,
          c.req.valid('param').id,
          c.req.valid('json'),
        );
        await recordAudit(tx, tenantId, meta, {
          action: 'collectors.update',
          targetType: 'collector',
          targetId: after.id,
          areaPath: after.areaPath,
          before,
          after,
        });
        return after;
      });
      return c.json(row, 200);
    },
  );
  return r;
}
