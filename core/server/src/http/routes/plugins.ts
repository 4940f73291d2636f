import { AppError } from '@quadmeter/sdk';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { requireWholeTenant } from '../../services/identity/actor.ts';
import { settingsCodec } from '../../services/plugins/settings-codec.ts';
import { configureTenantPlugin, tenantPluginSettings } from '../../services/plugins/tenant-plugins.ts';
import { inTenant, jsonRoute, router, text, z } from '../route-kit.ts';

const PluginItem = z
  .object({
    id: z.string(),
    kind: z.string(),
    version: z.string(),
    apiVersion: z.number(),
    title: z.object({ 'zh-CN': z.string(), en: z.string() }),
    dependsOn: z.array(z.string()),
    status: z.string(),
    error: z.string().optional(),
    errorCode: z.string().optional().openapi({ description: 'the stable code of the failure' }),
    source: z
      .string()
      .optional()
      .openapi({ description: 'an external plugin: the package name or path it was listed as' }),
    health: z.object({ ok: z.boolean(), detail: z.string().optional() }),
    enabled: z.boolean(),
    settings: z.record(z.string(), z.unknown()),
    settingsSchema: z.record(z.string(), z.unknown()),
  })
  .openapi('Plugin');

const PluginIdParam = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)+$/)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export function pluginRoutes(p: Platform) {
  const r = router();
  const codec = settingsCodec(p.registry, p.secrets);

  async function item(id: string, chosen?: { enabled: boolean; settings: Record<string, unknown> }) {
    const s = p.registry.list().find((x) => x.id === id)!;
    return {
      id: s.id,
      kind: s.kind,
      version: s.version,
      apiVersion: s.apiVersion,
      title: s.title,
      dependsOn: [...(s.dependsOn ?? [])],
      status: s.status,
      ...(s.error && { error: s.error }),
      ...(s.errorCode && { errorCode: s.errorCode }),
      ...(s.source && { source: s.source }),
      health: await p.registry.health(id),
      enabled: chosen?.enabled ?? false,
      // secret fields never leave the server: a set one shows as '[redacted]'
      settings: codec.redact(id, chosen?.settings ?? {}),
      settingsSchema: p.registry.tenantSettingsJsonSchema(id) as Record<string, unknown>,
    };
  }

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag: 'plugins',
      summary: 'Installed plugins with health and this tenant’s choices',
      response: z.object({ items: z.array(PluginItem) }),
    }),
    async (c) => {
      const chosen = await inTenant(p, c, 'plugins.read', (tx) => tenantPluginSettings(tx));
      const items = await Promise.all(p.registry.list().map((s) => item(s.id, chosen.get(s.id))));
      return c.json({ items }, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/{id}/tenant',
      tag: 'plugins',
      summary:
        'Enable or disable a plugin for this tenant and save its settings (a secret left empty or ' +
        "'[redacted]' keeps its stored value)",
      params: PluginIdParam,
      body: z
        .object({ enabled: z.boolean(), settings: z.record(text(1, 200), z.unknown()).default({}) })
        .strict(),
      response: PluginItem,
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      requireWholeTenant(c.get('actor'));
      if (!p.registry.get(id)) throw new AppError('PLUGIN_NOT_FOUND', undefined, { id });
      const body = c.req.valid('json');
      const saved = await inTenant(p, c, 'plugins.manage', async (tx, { tenantId, meta }) => {
        const change = await configureTenantPlugin(tx, { registry: p.registry, codec }, tenantId, id, body);
        await recordAudit(tx, tenantId, meta, {
          action: 'plugins.configure',
          targetType: 'plugin',
          targetId: id,
          before: change.before,
          after: change.after,
        });
        return change.after;
      });
      return c.json(await item(id, saved), 200);
    },
  );
  return r;
}
