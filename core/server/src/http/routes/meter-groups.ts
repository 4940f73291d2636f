import { meterProtocols, meterStatuses } from '../../db/schema/index.ts';
import type { Platform } from '../../platform.ts';
import {
  createGroup,
  deleteGroup,
  getGroup,
  groupMeters,
  listGroups,
  updateGroup,
} from '../../services/archives/meter-groups.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { auditedDelete } from '../audited-delete.ts';
import { IdParam, inTenant, jsonRoute, patchBody, router, text, z } from '../route-kit.ts';
import { ListQuery, MeterPage } from './meter-schemas.ts';

const tag = 'meter-groups';
const Filter = z
  .object({
    areaId: z.uuid().optional(),
    kind: text(1, 64).optional(),
    protocol: z.enum(meterProtocols).optional(),
    status: z.enum(meterStatuses).optional(),
  })
  .strict();
const MemberIds = z.array(z.uuid()).max(10_000);
const Group = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['static', 'filter']),
    filter: Filter.nullable(),
    memberIds: z.array(z.string()).nullable(),
    createdAt: z.string(),
  })
  .openapi('MeterGroup');

export function meterGroupRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Meter groups and saved filters',
      response: z.object({ items: z.array(Group) }),
    }),
    async (c) => c.json({ items: await inTenant(p, c, 'meters.read', (tx) => listGroups(tx)) }, 200),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'One group (static members within your scope)',
      params: IdParam,
      response: Group,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', (tx, { actor }) => getGroup(tx, actor, c.req.valid('param').id)),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/meters',
      tag,
      summary: 'The group’s meters within your scope',
      params: IdParam,
      query: ListQuery,
      response: MeterPage,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', (tx, { actor }) =>
          groupMeters(tx, actor, c.req.valid('param').id, c.req.valid('query')),
        ),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Add a static group or a saved filter',
      body: z.discriminatedUnion('kind', [
        z.object({ name: text(1, 100), kind: z.literal('static'), memberIds: MemberIds.optional() }).strict(),
        z.object({ name: text(1, 100), kind: z.literal('filter'), filter: Filter }).strict(),
      ]),
      response: Group,
    }),
    async (c) => {
      const g = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const made = await createGroup(tx, actor, tenantId, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'meter-groups.create',
          targetType: 'meter-group',
          targetId: made.id,
          after: made,
        });
        return made;
      });
      return c.json(g, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}',
      tag,
      summary: 'Rename a group, change its members or filter',
      params: IdParam,
      body: patchBody(
        z
          .object({
            name: text(1, 100).optional(),
            memberIds: MemberIds.optional(),
            filter: Filter.optional(),
          })
          .strict(),
      ),
      response: Group,
    }),
    async (c) => {
      const g = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const { before, after } = await updateGroup(
          tx,
          actor,
          tenantId,
          c.req.valid('param').id,
          c.req.valid('json'),
        );
        await recordAudit(tx, tenantId, meta, {
          action: 'meter-groups.update',
          targetType: 'meter-group',
          targetId: after.id,
          before,
          after,
        });
        return after;
      });
      return c.json(g, 200);
    },
  );
  auditedDelete(r, p, {
    tag,
    summary: 'Delete a group',
    permission: 'meters.write',
    remove: deleteGroup,
    audit: (before) => ({
      action: 'meter-groups.delete',
      targetType: 'meter-group',
      targetId: before.id,
      before,
    }),
  });
  return r;
}
