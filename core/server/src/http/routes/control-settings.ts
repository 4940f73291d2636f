import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { controlSettings, saveControlSettings } from '../../services/commands/settings.ts';
import { requireWholeTenant } from '../../services/identity/actor.ts';
import { inTenant, jsonRoute, router } from '../route-kit.ts';
import { ControlSettingsBody } from './command-schemas.ts';

const tag = 'control';

/** The tenant's control policy: approval threshold for batch cuts, default expiry, attempts. */
export function controlSettingsRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'The control policy',
      response: ControlSettingsBody,
    }),
    async (c) => c.json(await inTenant(p, c, 'meters.read', (tx) => controlSettings(tx)), 200),
  );
  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/',
      tag,
      summary: 'Change the control policy (tenant-wide users holding meters.control.approve)',
      body: ControlSettingsBody,
      status: 200,
      response: ControlSettingsBody,
    }),
    async (c) => {
      const saved = await inTenant(p, c, 'meters.control.approve', async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const before = await controlSettings(tx);
        const after = await saveControlSettings(tx, tenantId, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'control-settings.update',
          targetType: 'control-settings',
          targetId: tenantId,
          before,
          after,
        });
        return after;
      });
      return c.json(saved, 200);
    },
  );
  return r;
}
