import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { billingSettings, saveBillingSettings } from '../../services/billing/settings.ts';
import { requireWholeTenant } from '../../services/identity/actor.ts';
import { inTenant, jsonRoute, router } from '../route-kit.ts';
import { BillingSettingsBody } from './ledger-schemas.ts';

const tag = 'billing';

/** The tenant's billing policy: allocation order, due days, late fees, hold rules. */
export function billingSettingsRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'The billing settings',
      response: BillingSettingsBody,
    }),
    async (c) => c.json(await inTenant(p, c, 'billing.read', (tx) => billingSettings(tx)), 200),
  );
  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/',
      tag,
      summary: 'Change the billing settings (tenant-wide users holding billing.run)',
      body: BillingSettingsBody,
      status: 200,
      response: BillingSettingsBody,
    }),
    async (c) => {
      const saved = await inTenant(p, c, 'billing.run', async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const before = await billingSettings(tx);
        const after = await saveBillingSettings(tx, tenantId, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'billing-settings.update',
          targetType: 'billing-settings',
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
