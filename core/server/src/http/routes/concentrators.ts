import type { Platform } from '../../platform.ts';
import {
  concentratorDto,
  createConcentrator,
  findConcentrator,
  listConcentrators,
  updateConcentrator,
} from '../../services/archives/gateways.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { IdParam, inTenant, int32, jsonRoute, patchBody, router, text, z } from '../route-kit.ts';
import { CustomBody } from './meter-schemas.ts';

const tag = 'gateways';
const fields = {
  number: text(1, 64),
  name: text(0, 100).optional(),
  /** region code A1, 4 hex digits */
  a1: text(4, 4),
  /** terminal address A2 */
  a2: int32(1, 65535),
  sim: text(0, 20).regex(/^\d*$/, 'digits').nullable().optional(),
  iccid: text(0, 22)
    .regex(/^[0-9A-Fa-f]*$/, 'digits')
    .nullable()
    .optional(),
  areaId: z.uuid(),
  status: z.enum(['active', 'removed']).optional(),
  custom: CustomBody.optional(),
};
const Concentrator = z
  .object({
    id: z.string(),
    number: z.string(),
    name: z.string(),
    a1: z.string(),
    a2: z.number(),
    protocol: z.string(),
    sim: z.string().nullable(),
    iccid: z.string().nullable(),
    areaId: z.string(),
    areaPath: z.array(z.string()),
    status: z.string(),
    online: z.boolean(),
    lastHeartbeatAt: z.string().nullable(),
    custom: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi('Concentrator');

export function concentratorRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Concentrators within your scope',
      response: z.object({ items: z.array(Concentrator) }),
    }),
    async (c) =>
      c.json(
        { items: await inTenant(p, c, 'meters.read', (tx, { actor }) => listConcentrators(tx, actor)) },
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'One concentrator',
      params: IdParam,
      response: Concentrator,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', async (tx, { actor }) => {
          const { c: row, path } = await findConcentrator(tx, actor, c.req.valid('param').id);
          return concentratorDto(row, path);
        }),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Add a concentrator (集中器)',
      body: z.object(fields).strict(),
      response: Concentrator,
    }),
    async (c) => {
      const row = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const made = await createConcentrator(tx, actor, tenantId, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'concentrators.create',
          targetType: 'concentrator',
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
      summary: 'Change a concentrator (online state and heartbeat are the reading engine’s)',
      params: IdParam,
      body: patchBody(z.object(fields).partial().strict()),
      response: Concentrator,
    }),
    async (c) => {
      const row = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const { before, after } = await updateConcentrator(
          tx,
          actor,
          c.req.valid('param').id,
          c.req.valid('json'),
        );
        await recordAudit(tx, tenantId, meta, {
          action: 'concentrators.update',
          targetType: 'concentrator',
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
