import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Actor } from '../identity/actor.ts';

export const SELF_COOKIE = 'qm_self';
export const SELF_SESSION_DAYS = 30;

export interface Customer {
  tenantId: string;
  identityId: string;
  openid: string;
  sessionId: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The openid's identity in this tenant, created on first sight; last_seen_at moves on. */
export async function upsertIdentity(tx: Tx, tenantId: string, openid: string): Promise<string> {
  const [row] = await tx.execute<{ id: string }>(sql`
    insert into self_identities (tenant_id, openid) values (${tenantId}, ${openid})
    on conflict (tenant_id, openid) do update set last_seen_at = now()
    returning id::text`);
  return row.id;
}

/** Opens a session for the identity; answers the cookie value `<tenant>.<secret>`. */
export async function openSession(tx: Tx, tenantId: string, identityId: string): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await tx.execute(sql`insert into self_sessions (tenant_id, identity_id, token_hash, expires_at)
    values (${tenantId}, ${identityId}, ${sha256(secret)}, now() + ${`${SELF_SESSION_DAYS} days`}::interval)`);
  return `${tenantId}.${secret}`;
}

/** The tenant a cookie names, or undefined when it is not one of ours. */
export function cookieTenant(cookie: string | undefined): { tenantId: string; secret: string } | undefined {
  if (!cookie) return undefined;
  const dot = cookie.indexOf('.');
  const tenantId = cookie.slice(0, dot);
  const secret = cookie.slice(dot + 1);
  if (dot < 0 || !UUID.test(tenantId) || !/^[0-9A-Za-z_-]{43}$/.test(secret)) return undefined;
  return { tenantId, secret };
}

/** The customer of a session cookie inside the tenant's transaction (SELF_AUTH_REQUIRED otherwise). */
export async function customerOf(tx: Tx, tenantId: string, secret: string): Promise<Customer> {
  const [row] = await tx.execute<{ session_id: string; identity_id: string; openid: string }>(sql`
    select s.id::text as session_id, i.id::text as identity_id, i.openid
    from self_sessions s join self_identities i on i.tenant_id = s.tenant_id and i.id = s.identity_id
    where s.token_hash = ${sha256(secret)} and s.expires_at > now()`);
  if (!row) throw new AppError('SELF_AUTH_REQUIRED');
  return { tenantId, identityId: row.identity_id, openid: row.openid, sessionId: row.session_id };
}

/** Runs `fn` in the tenant transaction of the request's customer session. */
export async function inCustomer<T>(
  db: Db,
  cookie: string | undefined,
  fn: (tx: Tx, who: Customer) => Promise<T>,
): Promise<T> {
  const c = cookieTenant(cookie);
  if (!c) throw new AppError('SELF_AUTH_REQUIRED');
  return await withTenant(db, c.tenantId, async (tx) => fn(tx, await customerOf(tx, c.tenantId, c.secret)));
}

export async function closeSession(tx: Tx, who: Customer): Promise<void> {
  await tx.execute(sql`delete from self_sessions where id = ${who.sessionId}`);
}

/**
 * The actor the shared services see for a customer: no permissions, the whole tenant as scope —
 * the self-service routes prove the account is bound before they hand it any id.
 */
export function customerActor(who: Customer): Actor {
  return {
    kind: 'customer',
    id: who.identityId,
    name: who.openid,
    displayName: `customer:${who.openid.slice(0, 12)}`,
    locale: 'zh-CN',
    tenantId: who.tenantId,
    permissions: new Set(),
    areaScope: null,
  };
}
