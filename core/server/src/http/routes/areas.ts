import { areaKinds } from '../../db/schema/index.ts';
import type { Platform } from '../../platform.ts';
import { areaDto, createArea, deleteArea, listAreas, updateArea } from '../../services/areas/areas.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { auditedDelete } from '../audited-delete.ts';
import { IdParam, inTenant, int32, jsonRoute, patchBody, router, text, z } from '../route-kit.ts';

const Area = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    name: z.string(),
    kind: z.enum(areaKinds),
    sort: z.number(),
    path: z.array(z.string()),
  })
  .openapi('Area');

export function areaRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag: 'areas',
      summary: 'Areas within your scope',
      response: z.object({ items: z.array(Area) }),
    }),
    async (c) =>
      c.json({ items: await inTenant(p, c, 'areas.read', (tx, { actor }) => listAreas(tx, actor)) }, 200),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag: 'areas',
      summary: 'Add an area',
      body: z
        .object({
          parentId: z.uuid().nullable(),
          name: text(1, 100),
          kind: z.enum(areaKinds),
          sort: int32().optional(),
        })
        .strict(),
      response: Area,
    }),
    async (c) => {
      const area = await inTenant(p, c, 'areas.manage', async (tx, { actor, tenantId, meta }) => {
        const row = areaDto(await createArea(tx, actor, tenantId, c.req.valid('json')));
        await recordAudit(tx, tenantId, meta, {
          action: 'areas.create',
          targetType: 'area',
          targetId: row.id,
          areaPath: row.path,
          after: row,
        });
        return row;
      });
      return c.json(area, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}',
      tag: 'areas',
      summary: 'Rename or move an area',
      params: IdParam,
      body: patchBody(
        z
          .object({
            parentId: z.uuid().nullable().optional(),
            name: text(1, 100).optional(),
            kind: z.enum(areaKinds).optional(),
            sort: int32().optional(),
          })
          .strict(),
      ),
      response: Area,
    }),
    async (c) => {
      const area = await inTenant(p, c, 'areas.manage', async (tx, { actor, tenantId, meta }) => {
        const { before, after } = await updateArea(tx, actor, c.req.valid('param').id, c.req.valid('json'));
        const moved = areaDto(after);
        await recordAudit(tx, tenantId, meta, {
          action: before.parentId !== after.parentId ? 'areas.move' : 'areas.update',
          targetType: 'area',
          targetId: after.id,
          areaPath: after.path,
          before: areaDto(before),
          after: moved,
        });
        return moved;
      });
      return c.json(area, 200);
    },
  );
  auditedDelete(r, p, {
    tag: 'areas',
    summary: 'Delete an empty area',
    permission: 'areas.manage',
    remove: deleteArea,
    audit: (before) => ({
      action: 'areas.delete',
      targetType: 'area',
      targetId: before.id,
      areaPath: before.path,
      before: areaDto(before),
    }),
  });
  return r;
}
