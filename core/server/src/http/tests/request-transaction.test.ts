import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { createArea } from '../../services/areas/areas.ts';
import { authenticate } from '../middleware/authenticate.ts';
import { requestContext } from '../middleware/request-context.ts';
import { onError } from '../on-error.ts';
import { inTenant, router } from '../route-kit.ts';

let p: TestPlatform;
let admin: Client;
beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
});
afterAll(async () => p?.stop());

/** Every statement the platform's pool sends while `fn` runs (postgres.js reads `debug` per query). */
async function statementsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const options = (
    p.running.platform.db as unknown as { session: { client: { options: { debug?: unknown } } } }
  ).session.client.options;
  const seen: string[] = [];
  options.debug = (_conn: number, query: string) =>
    seen.push(query.trim().split(/\s+/).slice(0, 3).join(' '));
  try {
    await fn();
  } finally {
    options.debug = undefined;
  }
  return seen;
}

async function areaNamed(name: string) {
  const rows = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select count(*)::int as n from areas where name = ${name}`),
  );
  return rows[0].n;
}

describe('one tenant transaction per request', () => {
  it('loads the actor and answers GET /api/v1/users in one transaction of three round trips', async () => {
    await admin.get('/api/v1/users'); // warm: the session's last-use note is not part of the count
    const seen = await statementsDuring(async () =>
      expect((await admin.get('/api/v1/users')).status).toBe(200),
    );
    expect(seen.filter((s) => /^begin/i.test(s))).toHaveLength(1);
    // begin + session + tenant + role + actor in one simple-protocol round trip; the list; commit
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatch(/^begin; select s\.id/);
    expect(seen[2]).toMatch(/^commit/i);
  });

  it('serves an API token in the same single transaction', async () => {
    const created = await admin.post('/api/v1/tokens', { name: 'tx-count', scopes: ['areas.read'] });
    const api = new Client(p.baseUrl);
    api.bearer = created.body.token;
    await api.get('/api/v1/areas'); // first use is noted afterwards, on its own
    const seen = await statementsDuring(async () =>
      expect((await api.get('/api/v1/areas')).status).toBe(200),
    );
    expect(seen.filter((s) => /^begin/i.test(s))).toHaveLength(1);
    expect(seen).toHaveLength(3);
  });

  it('rolls back what the route wrote when it fails after writing, and keeps it when it succeeds', async () => {
    const platform = p.running.platform;
    const app = router();
    app.onError(onError);
    app.use('*', requestContext(platform.logger));
    app.use('/x/*', authenticate(platform));
    for (const outcome of ['ok', 'fail'] as const) {
      app.post(`/x/${outcome}`, async (c) => {
        await inTenant(platform, c, 'areas.manage', (tx, { actor, tenantId }) =>
          createArea(tx, actor, tenantId, { parentId: null, name: `rollback-${outcome}`, kind: 'company' }),
        );
        if (outcome === 'fail') throw new AppError('RESOURCE_CONFLICT', 'failed after writing');
        return c.json({ ok: true });
      });
    }
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const failed = await app.request('/x/fail', { method: 'POST', headers });
    expect(failed.status).toBe(409);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('RESOURCE_CONFLICT');
    expect(await areaNamed('rollback-fail')).toBe(0);
    const ok = await app.request('/x/ok', { method: 'POST', headers });
    expect(ok.status).toBe(200);
    expect(await areaNamed('rollback-ok')).toBe(1);
  });

  it('notes a token’s use and slides a session’s expiry after the request', async () => {
    const db = p.running.platform.db;
    const created = await admin.post('/api/v1/tokens', { name: 'touch', scopes: ['areas.read'] });
    const api = new Client(p.baseUrl);
    api.bearer = created.body.token;
    expect((await api.get('/api/v1/areas')).status).toBe(200);
    const [token] = await withSystem(db, (tx) =>
      tx.execute(sql`select last_used_at from api_tokens where id = ${created.body.item.id}`),
    );
    expect(token.last_used_at).not.toBeNull();
    await withSystem(db, (tx) =>
      tx.execute(sql`update sessions set last_seen_at = now() - interval '2 minutes',
        expires_at = now() + interval '5 minutes' where revoked_at is null`),
    );
    expect((await admin.get('/api/v1/areas')).status).toBe(200);
    const [session] = await withSystem(db, (tx) =>
      tx.execute(sql`select min(expires_at - now()) > interval '1 hour' as slid from sessions
        where revoked_at is null and user_id is not null`),
    );
    expect(session.slid).toBe(true);
  });

  it('survives the server ending a connection in the middle of a request: 503, then served again', async () => {
    const platform = p.running.platform;
    const app = router();
    app.onError(onError);
    app.use('*', requestContext(platform.logger));
    app.use('/x/*', authenticate(platform));
    app.get('/x/slow', async (c) => {
      await inTenant(platform, c, 'areas.read', (tx) => tx.execute(sql`select pg_sleep(30)`));
      return c.json({ ok: true });
    });
    app.get('/x/fast', async (c) =>
      c.json(await inTenant(platform, c, 'areas.read', (tx) => tx.execute(sql`select 1 as one`))),
    );
    const headers = { cookie: admin.cookie };
    for (let round = 0; round < 3; round++) {
      const slow = app.request('/x/slow', { headers });
      await expect
        .poll(
          async () =>
            (
              await withSystem(platform.db, (tx) =>
                tx.execute(sql`select pg_terminate_backend(pid) as t from pg_stat_activity
                where query like '%pg_sleep(30)%' and pid <> pg_backend_pid()`),
              )
            ).length,
        )
        .toBe(1);
      const res = await slow;
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DB_UNAVAILABLE');
      const after = await app.request('/x/fast', { headers });
      expect(after.status).toBe(200);
    }
  });
});
