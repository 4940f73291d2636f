import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { verifyPassword } from '../services/identity/passwords.ts';

const bin = fileURLToPath(new URL('../../bin/quadmeter.mjs', import.meta.url));
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** stderr is exactly one line `error CODE: …` and no stack frame. */
function expectOneLineError(err: string, code: string) {
  const lines = err.trimEnd().split('\n');
  expect(lines, err).toHaveLength(1);
  expect(lines[0].startsWith(`error ${code}: `), err).toBe(true);
  expect(err).not.toMatch(/^\s+at /m); // no stack frame lines
  expect(err).not.toMatch(/ at .*:\d+:\d+/); // nor a frame squeezed into the line
}

const counts = async () => {
  const [row] = await t.database.sql`select (select count(*)::int from tenants) as tenants,
    (select count(*)::int from users) as users`;
  return row;
};

describe('quadmeter CLI arguments', () => {
  it('stores a quoted tenant name and the --admin user exactly', async () => {
    const r = cli([
      'tenant',
      'create',
      'acme',
      'Acme Water',
      '--admin',
      'boss',
      '--password',
      'boss-password-1',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ code: 'acme', admin: 'boss', password: 'boss-password-1' });
    const [tenant] = await t.database.sql`select id, name from tenants where code = 'acme'`;
    expect(tenant.name).toBe('Acme Water');
    const users = await t.database
      .sql`select username, password_hash from users where tenant_id = ${tenant.id}`;
    expect(users.map((u) => u.username)).toEqual(['boss']);
    expect(await verifyPassword(users[0].password_hash, 'boss-password-1')).toBe(true);
  });

  it('accepts --flag=value and joins an unquoted name', async () => {
    const r = cli(['tenant', 'create', 'beta', 'Beta', 'Gas', '--admin=chief', '--password=chief-password']);
    expect(r.code, r.err).toBe(0);
    const [row] = await t.database
      .sql`select t.name, u.username from tenants t join users u on u.tenant_id = t.id
      where t.code = 'beta'`;
    expect(row).toEqual({ name: 'Beta Gas', username: 'chief' });
  });

  it('rejects an unknown flag with exit 2 and one line naming it, writing nothing', async () => {
    const before = await counts();
    const r = cli(['tenant', 'create', 'gamma', 'Gamma', '--admn', 'boss', '--password', 'boss-password-1']);
    expect(r.code).toBe(2);
    expectOneLineError(r.err, 'CLI_USAGE');
    expect(r.err).toContain('--admn');
    const u = cli([
      'user',
      'create',
      '--tenant',
      'acme',
      '--username',
      'x',
      '--password',
      'xxxxxxxx',
      '--rol',
      'a',
    ]);
    expect(u.code).toBe(2);
    expectOneLineError(u.err, 'CLI_USAGE');
    expect(u.err).toContain('--rol');
    const m = cli(['migrate', '--force']);
    expect(m.code).toBe(2);
    expect(m.err).toContain('--force');
    expect(await counts()).toEqual(before);
  });
});

describe('quadmeter CLI input errors', () => {
  it('an unknown role: one line ROLE_NOT_FOUND, exit 1, no user', async () => {
    const before = await counts();
    const r = cli([
      'user',
      'create',
      '--tenant',
      'acme',
      '--username',
      'reader',
      '--password',
      'reader-password',
      '--role',
      'nosuchrole',
    ]);
    expect(r.code).toBe(1);
    expectOneLineError(r.err, 'ROLE_NOT_FOUND');
    expect(r.err).toContain('nosuchrole');
    expect(await counts()).toEqual(before);
  });

  it('a duplicate tenant code, an unknown tenant and a weak password: one line each', async () => {
    const before = await counts();
    const dup = cli(['tenant', 'create', 'acme', 'Again', '--password', 'again-password']);
    expect(dup.code).toBe(1);
    expectOneLineError(dup.err, 'RESOURCE_CONFLICT');
    const noTenant = cli([
      'user',
      'create',
      '--tenant',
      'nope',
      '--username',
      'u1',
      '--password',
      'password-1',
    ]);
    expect(noTenant.code).toBe(1);
    expectOneLineError(noTenant.err, 'TENANT_NOT_FOUND');
    const weak = cli(['user', 'create', '--tenant', 'acme', '--username', 'u2', '--password', 'abc']);
    expect(weak.code).toBe(1);
    expectOneLineError(weak.err, 'AUTH_PASSWORD_WEAK');
    const weakTenant = cli(['tenant', 'create', 'delta', 'Delta', '--password', 'abc']);
    expect(weakTenant.code).toBe(1);
    expectOneLineError(weakTenant.err, 'AUTH_PASSWORD_WEAK');
    expect(await counts()).toEqual(before);
  });

  it('a bad configuration and missing arguments print one line too', () => {
    const bad = cli(['migrate'], { DATABASE_URL: 'mysql://x', PORT: 'abc' });
    expect(bad.code).toBe(1);
    expectOneLineError(bad.err, 'CONFIG_INVALID');
    expect(bad.err).toMatch(/DATABASE_URL.*PORT|PORT.*DATABASE_URL/);
    const usage = cli(['tenant', 'create']);
    expect(usage.code).toBe(2);
    expectOneLineError(usage.err, 'CLI_USAGE');
  });
});
