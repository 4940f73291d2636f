import type { Platform } from '../../platform.ts';
import { childrenOf, linkChild, unlinkChild } from '../../services/archives/meter-relations.ts';
import { deleteRoute, routeOf, setRoute } from '../../services/archives/meter-routes.ts';
import { findMeter } from '../../services/archives/meters.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { IdParam, inTenant, jsonRoute, type router, z } from '../route-kit.ts';
import { Route, RouteBody } from './meter-schemas.ts';

const tag = 'meters';
const ChildParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
  childId: z.uuid().openapi({ param: { name: 'childId', in: 'path' } }),
});

/** `/meters/{id}/route` (where the meter is reached) and `/meters/{id}/children` (总分表). */
export function meterLinkRoutes(p: Platform, r: ReturnType<typeof router>) {
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/route',
      tag,
      summary: 'Where the meter is reached',
      params: IdParam,
      response: z.object({ route: Route.nullable() }),
    }),
    async (c) => {
      const route = await inTenant(p, c, 'meters.read', async (tx, { actor }) => {
        await findMeter(tx, actor, c.req.valid('param').id);
        return routeOf(tx, c.req.valid('param').id);
      });
      return c.json({ route }, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/{id}/route',
      tag,
      summary: 'Set where the meter is reached',
      params: IdParam,
      body: RouteBody,
      response: z.object({ route: Route }),
    }),
    async (c) => {
      const route = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const { m, path } = await findMeter(tx, actor, c.req.valid('param').id, true);
        const before = await routeOf(tx, m.id);
        const after = await setRoute(tx, actor, tenantId, m, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'meters.route',
          targetType: 'meter',
          targetId: m.id,
          areaPath: path,
          before,
          after,
        });
        return after;
      });
      return c.json({ route }, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'delete',
      path: '/{id}/route',
      tag,
      summary: 'Forget where the meter is reached',
      params: IdParam,
      status: 204,
    }),
    async (c) => {
      await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const { m, path } = await findMeter(tx, actor, c.req.valid('param').id, true);
        const before = await deleteRoute(tx, m.id);
        await recordAudit(tx, tenantId, meta, {
          action: 'meters.route',
          targetType: 'meter',
          targetId: m.id,
          areaPath: path,
          before,
          after: null,
        });
      });
      return c.body(null, 204);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/children',
      tag,
      summary: 'Sub-meters fed through this meter (总分表)',
      params: IdParam,
      response: z.object({ childIds: z.array(z.string()) }),
    }),
    async (c) =>
      c.json(
        {
          childIds: await inTenant(p, c, 'meters.read', (tx, { actor }) =>
            childrenOf(tx, actor, c.req.valid('param').id),
          ),
        },
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/{id}/children/{childId}',
      tag,
      summary: 'Make a meter a sub-meter of this one',
      params: ChildParams,
      status: 204,
    }),
    async (c) => {
      const { id, childId } = c.req.valid('param');
      await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const { path } = await findMeter(tx, actor, id);
        if (await linkChild(tx, actor, tenantId, id, childId))
          await recordAudit(tx, tenantId, meta, {
            action: 'meters.link',
            targetType: 'meter',
            targetId: id,
            areaPath: path,
            after: { parentId: id, childId },
          });
      });
      return c.body(null, 204);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'delete',
      path: '/{id}/children/{childId}',
      tag,
      summary: 'Unlink a sub-meter',
      params: ChildParams,
      status: 204,
    }),
    async (c) => {
      const { id, childId } = c.req.valid('param');
      await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const { path } = await findMeter(tx, actor, id);
        await unlinkChild(tx, actor, id, childId);
        await recordAudit(tx, tenantId, meta, {
          action: 'meters.unlink',
          targetType: 'meter',
          targetId: id,
          areaPath: path,
          before: { parentId: id, childId },
        });
      });
      return c.body(null, 204);
    },
  );
}
