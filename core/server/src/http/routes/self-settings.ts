import type { Platform } from '../../platform.ts';
import { saveSelfSettings, selfSettings } from '../../services/self/settings.ts';
import { router, z } from '../route-kit.ts';
import { addSettingsRoutes } from '../settings-routes.ts';

const SelfSettingsBody = z
  .strictObject({ bindMethod: z.enum(['sms', 'id_digits', 'either']) })
  .openapi('SelfSettings');

/** The tenant's self-service settings: how customers prove they hold an account (decision 0046). */
export function selfSettingsRoutes(p: Platform) {
  const r = router();
  addSettingsRoutes(r, p, {
    path: '/',
    tag: 'self-service',
    what: 'The self-service settings',
    schema: SelfSettingsBody,
    read: 'customers.read',
    write: 'customers.write',
    audit: 'self-settings',
    get: selfSettings,
    save: saveSelfSettings,
  });
  return r;
}
