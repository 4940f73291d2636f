import type { Platform } from '../../platform.ts';
import { billingSettings, saveBillingSettings } from '../../services/billing/settings.ts';
import { router } from '../route-kit.ts';
import { addSettingsRoutes } from '../settings-routes.ts';
import { BillingSettingsBody } from './ledger-schemas.ts';

/** The tenant's billing policy: allocation order, due days, late fees, hold rules. */
export function billingSettingsRoutes(p: Platform) {
  const r = router();
  addSettingsRoutes(r, p, {
    path: '/',
    tag: 'billing',
    what: 'The billing settings',
    schema: BillingSettingsBody,
    read: 'billing.read',
    write: 'billing.run',
    audit: 'billing-settings',
    get: billingSettings,
    save: saveBillingSettings,
  });
  return r;
}
