import { AppError } from '@quadmeter/sdk';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Platform } from '../../platform.ts';
import { touchApiToken } from '../../services/identity/api-tokens.ts';
import { touchSession } from '../../services/identity/sessions.ts';
import { type Credential, type Seen, withRequestActor } from '../../services/identity/tenant-request.ts';
import { safeEqual } from '../../services/identity/tokens.ts';
import type { AppEnv } from '../env.ts';

export const SESSION_COOKIE = 'qm_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Thrown out of the request transaction when the route failed, so its writes roll back (the
 * route's error rides along as the cause: a lost connection must not be sent a rollback). */
class RouteFailed extends Error {}

function checkCsrf(c: Context<AppEnv>, csrfToken: string | undefined) {
  if (SAFE_METHODS.has(c.req.method)) return;
  const sent = c.req.header('x-csrf-token') ?? '';
  if (!csrfToken || !safeEqual(sent, csrfToken)) throw new AppError('AUTH_CSRF_INVALID');
}

function credentialOf(c: Context<AppEnv>): Credential {
  const auth = c.req.header('authorization');
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new AppError('AUTH_TOKEN_INVALID');
    return { token: m[1] };
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!cookie) throw new AppError('AUTH_REQUIRED');
  return { session: cookie };
}

/**
 * Resolves the actor from `Authorization: Bearer qm_…` or the session cookie (cookie-borne
 * mutations must carry the session's CSRF token in X-CSRF-Token), and runs the rest of the request
 * in the one tenant transaction that loaded the actor: the route's `inTenant` reuses it, and a
 * failed route rolls it back. Last-use notes are written after it, on their own.
 */
export function authenticate(p: Platform): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const credential = credentialOf(c);
    let seen: Seen | undefined;
    try {
      await withRequestActor(p.db, credential, async (tx, actor, found) => {
        seen = found;
        if (actor.kind !== 'token') checkCsrf(c, actor.csrfToken);
        c.set('actor', actor);
        const log = c.get('log');
        // every line the route logs names who acted and in which tenant
        if (log) c.set('log', log.child({ tenantId: actor.tenantId, actorId: actor.id }));
        c.set('tx', tx);
        await next();
        c.set('tx', undefined);
        if (c.error) throw new RouteFailed(c.error.message, { cause: c.error });
      });
    } catch (e) {
      if (!(e instanceof RouteFailed)) throw e;
    }
    if (seen?.sessionStale && seen.sessionId)
      await touchSession(p.db, seen.sessionId, p.config.QUADMETER_SESSION_HOURS);
    if (seen?.tokenStale && seen.tokenId && c.get('actor').tenantId)
      await touchApiToken(p.db, c.get('actor').tenantId!, seen.tokenId);
  };
}
