import { AppError } from '@quadmeter/sdk';
import type { Db, Tx } from '../../db/client.ts';
import { reservedTransaction, safeLiteral } from '../../db/raw-tx.ts';
import type { Actor } from './actor.ts';
import { loadOperatorActor } from './load-actor.ts';
import { permissionKeys } from './permissions.ts';
import { hashSecret } from './tokens.ts';

/** What a request presents: a session cookie or an API token (`qm_<tenant>.<secret>`). */
export type Credential = { session: string } | { token: string };

/** What the request's first round trip found, besides the actor. */
export interface Seen {
  /** the session's last use is over a minute old: slide its expiry after the request */
  sessionId?: string;
  sessionStale: boolean;
  /** the token's last use is over a minute old: note the use after the request */
  tokenId?: string;
  tokenStale: boolean;
}

interface Who {
  id: string | null;
  tenant_id: string | null;
  tenant_status: string | null;
  operator_id: string | null;
  csrf_token: string | null;
  revoked: boolean;
  expired: boolean;
  stale: boolean;
}

interface ActorRow {
  id: string;
  username: string;
  display_name: string;
  locale: string;
  status: string;
  permissions: string[];
  area_ids: string[];
  token_id: string | null;
  scopes: string[] | null;
}

const actorColumns = `u.id, u.username, u.display_name, u.locale, u.status,
  array(select distinct unnest(r.permissions) from user_roles ur
        join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id where ur.user_id = u.id) as permissions,
  array(select ua.area_id::text from user_areas ua where ua.user_id = u.id) as area_ids`;

// Statement 1 finds the session or token's tenant and sets it; statement 2, bound by row-level
// security to that tenant, loads the user and switches to quadmeter_app (only when a user row
// is found: set_config in the select list runs per row).
function sessionStatements(hash: string): string {
  const h = safeLiteral(hash, 'hex64');
  return `select s.id, s.tenant_id, t.status as tenant_status, s.operator_id, s.csrf_token,
      s.revoked_at is not null as revoked, s.expires_at <= now() as expired,
      s.last_seen_at < now() - interval '1 minute' as stale,
      set_config('app.tenant_id', coalesce(s.tenant_id::text, ''), true)
    from sessions s left join tenants t on t.id = s.tenant_id where s.token_hash = ${h};
    select ${actorColumns}, null::uuid as token_id, null::text[] as scopes,
      set_config('role', 'quadmeter_app', true)
    from sessions s join users u on u.tenant_id = s.tenant_id and u.id = s.user_id
    where s.token_hash = ${h} and s.revoked_at is null`;
}

function tokenStatements(code: string, hash: string): string {
  return `select null::uuid as id, t.id as tenant_id, t.status as tenant_status, null::uuid as operator_id,
      null::text as csrf_token, false as revoked, false as expired, false as stale,
      set_config('app.tenant_id', t.id::text, true)
    from tenants t where t.code = '${code}';
    select ${actorColumns}, k.id as token_id, k.scopes,
      (k.last_used_at is null or k.last_used_at < now() - interval '1 minute') as stale,
      set_config('role', 'quadmeter_app', true)
    from api_tokens k join users u on u.tenant_id = k.tenant_id and u.id = k.user_id
    where k.token_hash = ${safeLiteral(hash, 'hex64')} and k.revoked_at is null
      and (k.expires_at is null or k.expires_at > now())`;
}

const TOKEN = /^qm_([a-z0-9][a-z0-9-]{0,62})\.[A-Za-z0-9_-]{43}$/;

function statements(credential: Credential): {
  sql: string;
  invalid: 'AUTH_SESSION_INVALID' | 'AUTH_TOKEN_INVALID';
} {
  if ('session' in credential)
    return { sql: sessionStatements(hashSecret(credential.session)), invalid: 'AUTH_SESSION_INVALID' };
  const m = TOKEN.exec(credential.token);
  if (!m) throw new AppError('AUTH_TOKEN_INVALID');
  return { sql: tokenStatements(m[1], hashSecret(credential.token)), invalid: 'AUTH_TOKEN_INVALID' };
}

function userActor(who: Who, row: ActorRow, csrfToken: string | undefined): Actor {
  if (row.status !== 'active') throw new AppError('AUTH_USER_DISABLED');
  const held = row.permissions.filter((k) => permissionKeys.has(k));
  const scopes = row.scopes && new Set(row.scopes);
  return {
    kind: row.token_id ? 'token' : 'user',
    id: row.id,
    name: row.username,
    displayName: row.display_name,
    locale: row.locale,
    tenantId: who.tenant_id,
    permissions: new Set(scopes ? held.filter((k) => scopes.has(k)) : held),
    areaScope: row.area_ids.length ? row.area_ids : null,
    ...(row.token_id ? { tokenId: row.token_id } : { sessionId: who.id ?? undefined, csrfToken }),
  };
}

/**
 * Opens the request's one transaction and, in its first round trip (`begin` included), resolves the
 * credential, sets the tenant, switches to the row-level-security role and loads the actor (user,
 * roles and areas; or token and owner). `fn` runs in that transaction with `tx` bound to the tenant,
 * or with `tx` undefined for an operator who has not picked a tenant.
 */
export async function withRequestActor<T>(
  db: Db,
  credential: Credential,
  fn: (tx: Tx | undefined, actor: Actor, seen: Seen) => Promise<T>,
): Promise<T> {
  const { sql, invalid } = statements(credential);
  return await reservedTransaction(db, sql, async (tx, results, run) => {
    const [[who], [row]] = results as [Who[], (ActorRow & { stale?: boolean })[]];
    if (!who || who.revoked) throw new AppError(invalid);
    if (who.expired) throw new AppError('AUTH_SESSION_EXPIRED');
    const seen: Seen = {
      sessionStale: who.stale,
      tokenStale: row?.stale === true,
      ...(who.id && { sessionId: who.id }),
      ...(row?.token_id && { tokenId: row.token_id }),
    };
    const csrfToken = who.csrf_token ?? undefined;
    if (who.operator_id) {
      const operator = {
        ...(await loadOperatorActor(db, who.operator_id, who.tenant_id)),
        sessionId: who.id ?? undefined,
        csrfToken,
      };
      if (who.tenant_id) await run(`select set_config('role', 'quadmeter_app', true)`);
      return await fn(who.tenant_id ? tx : undefined, operator, seen);
    }
    if (!who.tenant_status) throw new AppError(invalid);
    if (who.tenant_status !== 'active') throw new AppError('AUTH_USER_DISABLED', 'This tenant is suspended');
    if (!row) throw new AppError(invalid);
    return await fn(tx, userActor(who, row, csrfToken), seen);
  });
}
