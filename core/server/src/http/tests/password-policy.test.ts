import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { loadConfig } from '../../config.ts';
import { withSystem } from '../../db/tenant.ts';
import { createTenant, ensureOperator } from '../../services/tenants/tenants.ts';

let p: TestPlatform;
let admin: Client;
let adminId: string;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  adminId = (await admin.get('/api/v1/auth/me')).body.user.id;
});
afterAll(async () => p?.stop());

async function counts() {
  const [row] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from users)::int as users, (select count(*) from tenants)::int as tenants,
      (select count(*) from operators)::int as operators,
      (select count(*) from audit_log where action not like 'auth.%')::int as audit`),
  );
  return row;
}

const newUser = (password: string) => ({
  username: 'weakling',
  displayName: 'W',
  password,
  roleIds: [],
  areaIds: [],
});

describe('password policy over HTTP', () => {
  it('refuses a password shorter than 10 characters and writes nothing', async () => {
    const before = await counts();
    const r = await admin.post('/api/v1/users', newUser('Short-pw9'));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('REQ_VALIDATION');
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['password']);
    expect(await counts()).toEqual(before);
  });

  it('refuses a common password, case-insensitively, with AUTH_PASSWORD_WEAK, and writes nothing', async () => {
    const before = await counts();
    for (const password of ['Password123', 'QWERTYUIOP', 'iloveyou12']) {
      const r = await admin.post('/api/v1/users', newUser(password));
      expect(r.status, password).toBe(400);
      expect(r.body.error.code).toBe('AUTH_PASSWORD_WEAK');
      expect(r.body.error.details).toEqual([
        { path: 'password', message: 'too common: choose another password', reason: 'common' },
      ]);
    }
    const reset = await admin.patch(`/api/v1/users/${adminId}`, { password: 'Admin12345' });
    expect(reset.body.error.code).toBe('AUTH_PASSWORD_WEAK');
    expect(await counts()).toEqual(before);
    await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password); // the old password still works
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200); // and no session was revoked
  });

  it('refuses a common first-administrator password when an operator creates a tenant', async () => {
    const op = await loggedIn(p.baseUrl, 'platform', 'operator', p.operator.password);
    const before = await counts();
    const r = await op.post('/api/v1/tenants', {
      code: 'weak',
      name: 'Weak',
      adminUsername: 'boss',
      adminPassword: '1234567890',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('AUTH_PASSWORD_WEAK');
    expect(r.body.error.details[0].path).toBe('adminPassword');
    expect(await counts()).toEqual(before);
    const ok = await op.post('/api/v1/tenants', {
      code: 'strong',
      name: 'Strong',
      adminUsername: 'boss',
      adminPassword: 'correct-horse-battery',
    });
    expect(ok.status).toBe(201);
    await loggedIn(p.baseUrl, 'strong', 'boss', 'correct-horse-battery');
  });

  it('accepts a strong password', async () => {
    const r = await admin.post('/api/v1/users', newUser('a-long-unusual-passphrase'));
    expect(r.status).toBe(201);
    const c = new Client(p.baseUrl);
    await c.login('demo', 'weakling', 'a-long-unusual-passphrase');
  });
});

describe('password policy in the services (the CLI path)', () => {
  it('createTenant and ensureOperator refuse short and common passwords', async () => {
    const db = p.running.platform.db;
    const before = await counts();
    const short = createTenant(db, { code: 'cli-t', name: 'T', adminUsername: 'a', adminPassword: 'abc12' });
    await expect(short).rejects.toMatchObject({
      code: 'AUTH_PASSWORD_WEAK',
      details: [{ path: 'adminPassword', reason: 'too-short' }],
    });
    await expect(ensureOperator(db, 'ops2', 'password123')).rejects.toMatchObject({
      code: 'AUTH_PASSWORD_WEAK',
      details: [{ reason: 'common' }],
    });
    await expect(ensureOperator(db, 'operator', 'short')).rejects.toMatchObject({
      code: 'AUTH_PASSWORD_WEAK',
    });
    expect(await counts()).toEqual(before);
    await loggedIn(p.baseUrl, 'platform', 'operator', p.operator.password);
  });

  it('the demo and operator passwords from the environment need 10 characters', () => {
    expect(() => loadConfig({ QUADMETER_DEMO_PASSWORD: 'ninechars' })).toThrow(/QUADMETER_DEMO_PASSWORD/);
    expect(() => loadConfig({ QUADMETER_OPERATOR_PASSWORD: 'ninechars' })).toThrow(
      /QUADMETER_OPERATOR_PASSWORD/,
    );
    expect(loadConfig({ QUADMETER_DEMO_PASSWORD: 'tenchars10' }).QUADMETER_DEMO_PASSWORD).toBe('tenchars10');
  });
});
