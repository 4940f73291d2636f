import { customFieldEntities, customFieldTypes } from '../../db/schema/index.ts';
import type { Platform } from '../../platform.ts';
import {
  createCustomField,
  customFieldDto,
  customFieldPermission,
  deleteCustomField,
  listCustomFields,
  updateCustomField,
} from '../../services/archives/custom-fields.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { requireWholeTenant } from '../../services/identity/actor.ts';
import { inTenant, int32, jsonRoute, patchBody, router, text, z } from '../route-kit.ts';

const tag = 'custom-fields';
const Entity = z.enum(customFieldEntities);
const Key = text(1, 40).regex(
  /^[a-z][a-z0-9_]*$/,
  'lower-case letters, digits and _ , starting with a letter',
);
const Label = z.object({ 'zh-CN': text(1, 100), en: text(1, 100) }).strict();
const Options = z.array(text(1, 100)).max(200);

const CustomField = z
  .object({
    entity: Entity,
    key: z.string(),
    label: z.object({ 'zh-CN': z.string(), en: z.string() }),
    type: z.enum(customFieldTypes),
    required: z.boolean(),
    options: z.array(z.string()).nullable(),
    sort: z.number(),
  })
  .openapi('CustomField');

const KeyParams = z.object({
  entity: Entity.openapi({ param: { name: 'entity', in: 'path' } }),
  key: Key.openapi({ param: { name: 'key', in: 'path' } }),
});

export function customFieldRoutes(p: Platform) {
  const r = router();

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'The custom fields defined for an entity',
      query: z.object({ entity: Entity }),
      response: z.object({ items: z.array(CustomField) }),
    }),
    async (c) => {
      const { entity } = c.req.valid('query');
      const rows = await inTenant(p, c, customFieldPermission(entity, 'read'), (tx) =>
        listCustomFields(tx, entity),
      );
      return c.json({ items: rows.map(customFieldDto) }, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Define a custom field (tenant-wide setting)',
      body: z
        .object({
          entity: Entity,
          key: Key,
          label: Label,
          type: z.enum(customFieldTypes),
          required: z.boolean().optional(),
          options: Options.nullable().optional(),
          sort: int32(-32768, 32767).optional(),
        })
        .strict(),
      response: CustomField,
    }),
    async (c) => {
      const { entity, ...input } = c.req.valid('json');
      const field = await inTenant(p, c, customFieldPermission(entity, 'write'), async (tx, ctx) => {
        requireWholeTenant(ctx.actor);
        const dto = customFieldDto(await createCustomField(tx, ctx.tenantId, entity, input));
        await recordAudit(tx, ctx.tenantId, ctx.meta, {
          action: 'custom-fields.create',
          targetType: 'custom_field',
          targetId: `${entity}.${dto.key}`,
          after: dto,
        });
        return dto;
      });
      return c.json(field, 201);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{entity}/{key}',
      tag,
      summary: 'Change a custom field’s label, required flag, options or order (not its type)',
      params: KeyParams,
      body: patchBody(
        z
          .object({
            label: Label.optional(),
            required: z.boolean().optional(),
            options: Options.nullable().optional(),
            sort: int32(-32768, 32767).optional(),
          })
          .strict(),
      ),
      response: CustomField,
    }),
    async (c) => {
      const { entity, key } = c.req.valid('param');
      const field = await inTenant(p, c, customFieldPermission(entity, 'write'), async (tx, ctx) => {
        requireWholeTenant(ctx.actor);
        const { before, after } = await updateCustomField(tx, entity, key, c.req.valid('json'));
        const dto = customFieldDto(after);
        await recordAudit(tx, ctx.tenantId, ctx.meta, {
          action: 'custom-fields.update',
          targetType: 'custom_field',
          targetId: `${entity}.${key}`,
          before: customFieldDto(before),
          after: dto,
        });
        return dto;
      });
      return c.json(field, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'delete',
      path: '/{entity}/{key}',
      tag,
      summary: 'Remove a custom field definition',
      params: KeyParams,
      status: 204,
    }),
    async (c) => {
      const { entity, key } = c.req.valid('param');
      await inTenant(p, c, customFieldPermission(entity, 'write'), async (tx, ctx) => {
        requireWholeTenant(ctx.actor);
        const before = await deleteCustomField(tx, entity, key);
        await recordAudit(tx, ctx.tenantId, ctx.meta, {
          action: 'custom-fields.delete',
          targetType: 'custom_field',
          targetId: `${entity}.${key}`,
          before: customFieldDto(before),
        });
      });
      return c.body(null, 204);
    },
  );
  return r;
}
