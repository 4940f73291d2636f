import { AppError } from '@quadmeter/sdk';
import type { Context } from 'hono';
import type { Tx } from '../../db/client.ts';
import type { Platform } from '../../platform.ts';
import type { RequestMeta } from '../../services/audit/record.ts';
import { type Actor, requireWholeTenant } from '../../services/identity/actor.ts';
import type { AppEnv } from '../env.ts';
import { inTenant } from '../route-kit.ts';

/** Reading plans and versions: designers, and billing staff explaining a bill. */
export const TARIFF_READ = ['tariffs.manage', 'billing.read'] as const;

type Ctx = { actor: Actor; tenantId: string; meta: RequestMeta };

/** Runs `fn` for an actor holding tariffs.manage or billing.read. */
export function tariffRead<T>(p: Platform, c: Context<AppEnv>, fn: (tx: Tx, ctx: Ctx) => Promise<T>) {
  const held = TARIFF_READ.find((k) => c.get('actor').permissions.has(k));
  if (!held)
    throw new AppError('AUTH_FORBIDDEN', `Missing permission ${TARIFF_READ.join(' or ')}`, {
      permission: TARIFF_READ.join('|'),
    });
  return inTenant(p, c, held, fn);
}

/** Runs `fn` for a tenant-wide actor holding tariffs.manage: plans are tenant-wide objects. */
export function tariffWrite<T>(p: Platform, c: Context<AppEnv>, fn: (tx: Tx, ctx: Ctx) => Promise<T>) {
  return inTenant(p, c, 'tariffs.manage', (tx, ctx) => {
    requireWholeTenant(ctx.actor);
    return fn(tx, ctx);
  });
}
