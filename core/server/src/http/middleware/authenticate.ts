import { AppError } from '@quadmeter/sdk';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Platform } from '../../platform.ts';
import { resolveApiToken } from '../../services/identity/api-tokens.ts';
import { resolveSession } from '../../services/identity/sessions.ts';
import { safeEqual } from '../../services/identity/tokens.ts';
import type { AppEnv } from '../env.ts';

export const SESSION_COOKIE = 'qm_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the actor from `Authorization: Bearer qm_…` or the session cookie. Cookie-borne
 * mutations must carry the session's CSRF token in X-CSRF-Token.
 */
export function authenticate(p: Platform): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.req.header('authorization');
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!m) throw new AppError('AUTH_TOKEN_INVALID');
      c.set('actor', await resolveApiToken(p.db, m[1]));
      return await next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    if (!cookie) throw new AppError('AUTH_REQUIRED');
    const actor = await resolveSession(p.db, cookie, p.config.QUADMETER_SESSION_HOURS);
    if (!SAFE_METHODS.has(c.req.method)) {
      const sent = c.req.header('x-csrf-token') ?? '';
      if (!actor.csrfToken || !safeEqual(sent, actor.csrfToken)) throw new AppError('AUTH_CSRF_INVALID');
    }
    c.set('actor', actor);
    await next();
  };
}
