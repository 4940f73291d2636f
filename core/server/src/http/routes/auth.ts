import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { PLATFORM_TENANT_ID, tenants } from '../../db/schema/index.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import type { Actor } from '../../services/identity/actor.ts';
import { login, logout, switchTenant } from '../../services/identity/sessions.ts';
import type { AppEnv } from '../env.ts';
import { authenticate, SESSION_COOKIE } from '../middleware/authenticate.ts';
import { jsonRoute, requestMeta, router, z } from '../route-kit.ts';

const SessionSchema = z
  .object({
    user: z.object({
      id: z.string(),
      username: z.string(),
      displayName: z.string(),
      locale: z.string(),
      isOperator: z.boolean(),
    }),
    tenant: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
    permissions: z.array(z.string()),
    areaScope: z.array(z.string()).nullable(),
    csrfToken: z.string(),
  })
  .openapi('Session');

export async function sessionBody(p: Platform, actor: Actor) {
  const [tenant] = actor.tenantId
    ? await withSystem(p.db, (tx) => tx.select().from(tenants).where(eq(tenants.id, actor.tenantId!)))
    : [];
  return {
    user: {
      id: actor.id,
      username: actor.name,
      displayName: actor.displayName,
      locale: actor.locale,
      isOperator: actor.kind === 'operator',
    },
    tenant: tenant ? { id: tenant.id, code: tenant.code, name: tenant.name } : null,
    permissions: [...actor.permissions].sort(),
    areaScope: actor.areaScope ? [...actor.areaScope] : null,
    csrfToken: actor.csrfToken ?? '',
  };
}

export function authRoutes(p: Platform) {
  const r = router();
  /** Session events go to the actor's tenant log, or the platform log for operators. */
  const auditAuth = (c: Context<AppEnv>, action: string, actor: Actor, after?: unknown) => {
    const tenantId = actor.tenantId ?? PLATFORM_TENANT_ID;
    return withTenant(p.db, tenantId, (tx) =>
      recordAudit(tx, tenantId, requestMeta(c), {
        action,
        targetType: actor.kind,
        targetId: actor.id,
        after,
      }),
    );
  };
  const Login = z
    .object({
      tenant: z.string().min(1).max(64),
      username: z.string().min(1).max(64),
      password: z.string().min(1).max(256),
    })
    .strict()
    .openapi('LoginInput');

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/login',
      tag: 'auth',
      summary: 'Log in',
      body: Login,
      response: SessionSchema,
      status: 200,
    }),
    async (c) => {
      const input = c.req.valid('json');
      const grant = await login(p.db, input, {
        ip: c.get('ip'),
        userAgent: c.req.header('user-agent') ?? '',
        hours: p.config.QUADMETER_SESSION_HOURS,
      });
      setCookie(c, SESSION_COOKIE, grant.token, {
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
        secure: c.get('scheme') === 'https',
        maxAge: p.config.QUADMETER_SESSION_HOURS * 3600,
      });
      const tenantId = grant.actor.tenantId ?? PLATFORM_TENANT_ID;
      c.set('actor', grant.actor);
      await withTenant(p.db, tenantId, (tx) =>
        recordAudit(tx, tenantId, requestMeta(c), {
          action: 'auth.login',
          targetType: grant.actor.kind,
          targetId: grant.actor.id,
        }),
      );
      return c.json(await sessionBody(p, grant.actor), 200);
    },
  );

  r.use('/logout', authenticate(p));
  r.openapi(
    jsonRoute({ method: 'post', path: '/logout', tag: 'auth', summary: 'Log out', status: 204 }),
    async (c) => {
      const actor = c.get('actor');
      if (actor.sessionId) await logout(p.db, actor.sessionId);
      await auditAuth(c, 'auth.logout', actor);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );

  r.use('/me', authenticate(p));
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/me',
      tag: 'auth',
      summary: 'The current session',
      response: SessionSchema,
    }),
    async (c) => c.json(await sessionBody(p, c.get('actor')), 200),
  );

  r.use('/switch-tenant', authenticate(p));
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/switch-tenant',
      tag: 'auth',
      summary: 'Operators: act in another tenant',
      body: z.object({ tenantId: z.uuid() }).strict(),
      response: SessionSchema,
      status: 200,
    }),
    async (c) => {
      const actor = await switchTenant(p.db, c.get('actor'), c.req.valid('json').tenantId);
      await auditAuth(c, 'auth.switch-tenant', { ...actor, tenantId: null }, { tenantId: actor.tenantId });
      return c.json(await sessionBody(p, actor), 200);
    },
  );
  return r;
}
