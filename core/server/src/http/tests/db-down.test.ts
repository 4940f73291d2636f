import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';

let p: TestPlatform;
let admin: Client;
let dbName: string;
const adminSql = postgres(inject('adminDatabaseUrl'), { max: 1, onnotice: () => {} });

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  dbName = new URL(p.running.platform.database.url).pathname.slice(1);
});
afterAll(async () => {
  await adminSql.unsafe(`alter database ${dbName} with allow_connections true`);
  await adminSql.end();
  await p?.stop();
});

describe('the database goes away while the platform runs', () => {
  it('answers readyz 200 while it is there', async () => {
    const r = await fetch(`${p.baseUrl}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok', checks: { database: 'ok', jobs: 'ok' } });
  });

  it('answers API calls 503 DB_UNAVAILABLE and readyz 503 without internal addresses', async () => {
    await adminSql.unsafe(`alter database ${dbName} with allow_connections false`);
    await adminSql`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = ${dbName} and pid <> pg_backend_pid()`;

    // every call: the first ones meet terminated connections, later ones refused new ones
    for (const path of ['/api/v1/areas', '/api/v1/users', '/api/v1/areas']) {
      const r = await admin.get(path);
      expect([path, r.status, r.body.error.code]).toEqual([path, 503, 'DB_UNAVAILABLE']);
      expect(r.body.error.message).toBe('The database is not reachable; try again shortly');
    }
    const login = await admin.post('/api/v1/auth/login', {
      tenant: 'demo',
      username: 'admin',
      password: p.demo.password,
    });
    expect([login.status, login.body.error.code]).toEqual([503, 'DB_UNAVAILABLE']);

    const r = await fetch(`${p.baseUrl}/readyz`);
    const text = await r.text();
    expect(r.status).toBe(503);
    expect(JSON.parse(text)).toEqual({
      status: 'unavailable',
      checks: { database: 'unavailable', jobs: 'unavailable' },
    });
    const pgPort = new URL(p.running.platform.database.url).port;
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toContain(pgPort);
    expect(text).not.toContain(dbName);
  });
});
