import { randomBytes } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { withSystem, withTenant } from '../../db/tenant.ts';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { authorizeUrl, exchangeCode, oauthConfig } from '../../services/self/oauth.ts';
import {
  type Customer,
  closeSession,
  customerActor,
  inCustomer,
  openSession,
  SELF_COOKIE,
  SELF_SESSION_DAYS,
  upsertIdentity,
} from '../../services/self/session.ts';
import type { AppEnv } from '../env.ts';
import { router } from '../route-kit.ts';

const STATE_COOKIE = 'qm_self_state';

export function selfMeta(c: Context<AppEnv>, who: Customer) {
  return { actor: customerActor(who), ip: c.get('ip'), requestId: c.get('requestId') };
}

export const selfCookie = (c: Context<AppEnv>) => getCookie(c, SELF_COOKIE);

function origin(p: Platform, c: Context<AppEnv>) {
  return (p.config.QUADMETER_PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/$/, '');
}

/**
 * The customer's sign-in through the official account's web authorisation (snsapi_base): start
 * sends the browser to WeChat with a state bound to a short-lived cookie; the callback trades the
 * code for the openid, opens a session (HttpOnly, SameSite=Lax) and lands on /my/.
 */
export function selfAuthRoutes(p: Platform) {
  const r = router();

  r.get('/oauth/start', async (c) => {
    const cfg = oauthConfig(p.config.QUADMETER_SELF_OAUTH);
    const code = c.req.query('tenant') ?? '';
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(code)) throw new AppError('TENANT_NOT_FOUND');
    const [tenant] = await withSystem(p.db, (tx) =>
      tx.execute<{ id: string }>(sql`select id::text from tenants where code = ${code}`),
    );
    if (!tenant) throw new AppError('TENANT_NOT_FOUND');
    const nonce = randomBytes(16).toString('hex');
    setCookie(c, STATE_COOKIE, `${tenant.id}.${nonce}`, {
      path: '/api/v1/self/oauth',
      httpOnly: true,
      sameSite: 'Lax',
      secure: c.get('scheme') === 'https',
      maxAge: 600,
    });
    return c.redirect(authorizeUrl(cfg, `${origin(p, c)}/api/v1/self/oauth/callback`, nonce), 302);
  });

  r.get('/oauth/callback', async (c) => {
    const cfg = oauthConfig(p.config.QUADMETER_SELF_OAUTH);
    const [tenantId, nonce] = (getCookie(c, STATE_COOKIE) ?? '').split('.');
    const code = c.req.query('code') ?? '';
    if (!nonce || c.req.query('state') !== nonce || !/^[0-9A-Za-z_-]{1,128}$/.test(code))
      throw new AppError('SELF_OAUTH_FAILED');
    const openid = await exchangeCode(cfg, code);
    const cookie = await withTenant(p.db, tenantId, async (tx) => {
      const identityId = await upsertIdentity(tx, tenantId, openid);
      const value = await openSession(tx, tenantId, identityId);
      const who = { tenantId, identityId, openid, sessionId: '' };
      await recordAudit(tx, tenantId, selfMeta(c, who), {
        action: 'self.login',
        targetType: 'self-identity',
        targetId: identityId,
      });
      return value;
    });
    deleteCookie(c, STATE_COOKIE, { path: '/api/v1/self/oauth' });
    setCookie(c, SELF_COOKIE, cookie, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: c.get('scheme') === 'https',
      maxAge: SELF_SESSION_DAYS * 86_400,
    });
    return c.redirect('/my/', 302);
  });

  r.post('/logout', async (c) => {
    await inCustomer(p.db, selfCookie(c), async (tx, who) => {
      await closeSession(tx, who);
      await recordAudit(tx, who.tenantId, selfMeta(c, who), {
        action: 'self.logout',
        targetType: 'self-identity',
        targetId: who.identityId,
      });
    });
    deleteCookie(c, SELF_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  r.get('/me', async (c) => {
    const out = await inCustomer(p.db, selfCookie(c), async (tx, who) => {
      const [t] = await tx.execute<{ name: string }>(
        sql`select name from tenants where id = ${who.tenantId}`,
      );
      return { tenant: { name: t?.name ?? '' }, openidTail: who.openid.slice(-6) };
    });
    return c.json(out, 200);
  });
  return r;
}
