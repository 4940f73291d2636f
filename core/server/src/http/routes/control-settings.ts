import type { Platform } from '../../platform.ts';
import { controlSettings, saveControlSettings } from '../../services/commands/settings.ts';
import { router } from '../route-kit.ts';
import { addSettingsRoutes } from '../settings-routes.ts';
import { ControlSettingsBody } from './command-schemas.ts';

/** The tenant's control policy: approval threshold for batch cuts, default expiry, attempts. */
export function controlSettingsRoutes(p: Platform) {
  const r = router();
  addSettingsRoutes(r, p, {
    path: '/',
    tag: 'control',
    what: 'The control policy',
    schema: ControlSettingsBody,
    read: 'meters.read',
    write: 'meters.control.approve',
    audit: 'control-settings',
    get: controlSettings,
    save: saveControlSettings,
  });
  return r;
}
