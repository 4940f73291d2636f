import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { loadConfig } from './config.ts';
import { credentialsFile, seedOnStart } from './demo.ts';
import { verifyPassword } from './services/identity/passwords.ts';
import { createTenant } from './services/tenants/tenants.ts';

let empty: TestDatabase;
let busy: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  [empty, busy] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  dataDir = await mkdtemp(join(tmpdir(), 'qm-seed-'));
});
afterAll(async () => {
  await Promise.all([empty?.drop(), busy?.drop()]);
  await rm(dataDir, { recursive: true, force: true });
});

const config = (env: Record<string, string> = {}) =>
  loadConfig({ DATABASE_URL: 'postgres://unused/x', QUADMETER_DATA_DIR: dataDir, ...env });

/** Everything a re-seed could touch: password hashes and row counts (as the superuser, past RLS). */
async function snapshot(t: TestDatabase) {
  const sql = t.database.sql;
  const [counts] = await sql`select
    (select count(*)::int from tenants) as tenants, (select count(*)::int from users) as users,
    (select count(*)::int from operators) as operators, (select count(*)::int from areas) as areas,
    (select count(*)::int from roles) as roles, (select count(*)::int from plugin_settings) as plugins,
    (select count(*)::int from reading_schedules) as schedules`;
  const hashes = await sql`select 'u:' || username as who, password_hash from users
    union all select 'o:' || username, password_hash from operators order by 1`;
  return { counts, hashes };
}

describe('seeding on start', () => {
  it('creates the demo tenant and an operator with its own password into an empty platform', async () => {
    const seeded = await seedOnStart(empty.database.db, config());
    expect(seeded.demo?.tenant).toBe('demo');
    expect(seeded.operator?.username).toBe('operator');
    expect(seeded.demo!.password.length).toBeGreaterThanOrEqual(12);
    expect(seeded.operator!.password).not.toBe(seeded.demo!.password);
    const sql = empty.database.sql;
    const [op] = await sql`select password_hash from operators where username = 'operator'`;
    expect(await verifyPassword(op.password_hash, seeded.operator!.password)).toBe(true);
    expect(await verifyPassword(op.password_hash, seeded.demo!.password)).toBe(false);
    const [admin] = await sql`select u.password_hash from users u join tenants t on t.id = u.tenant_id
      where t.code = 'demo' and u.username = 'admin'`;
    expect(await verifyPassword(admin.password_hash, seeded.demo!.password)).toBe(true);
    const plugins = await sql`select plugin_id, enabled from plugin_settings order by plugin_id`;
    expect(plugins.map((r) => [r.plugin_id, r.enabled])).toEqual([
      ['meter-gas', true],
      ['meter-heat', true],
      ['meter-power', true],
      ['meter-water', true],
      ['transport-gdw1376', true],
      ['transport-mbus', true],
      ['transport-rs485', true],
    ]);
    const schedules = await sql`select s.name, s.kind, s.cron, a.name as area from reading_schedules s
      join areas a on a.id = s.target_id order by s.cron`;
    expect(schedules.map((r) => [r.kind, r.cron, r.area])).toEqual([
      ['daily', '30 1 * * *', '演示水务集团'],
      ['realtime', '5 * * * *', '理工大学东校区'],
    ]);
    const file = credentialsFile(dataDir);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(seeded);
  });

  it('a second start creates nothing, prints nothing and rewrites no password', async () => {
    const before = await snapshot(empty);
    const fileBefore = await readFile(credentialsFile(dataDir), 'utf8');
    // even with passwords configured now, existing accounts are left alone
    const again = await seedOnStart(
      empty.database.db,
      config({ QUADMETER_DEMO_PASSWORD: 'another-demo-pw', QUADMETER_OPERATOR_PASSWORD: 'another-op-pw' }),
    );
    expect(again).toEqual({});
    expect(await snapshot(empty)).toEqual(before);
    expect(before.counts.tenants).toBe(1);
    expect(await readFile(credentialsFile(dataDir), 'utf8')).toBe(fileBefore);
  });

  it('leaves a platform with other tenants alone unless QUADMETER_DEMO=on', async () => {
    await createTenant(busy.database.db, {
      code: 'acme',
      name: 'Acme',
      adminUsername: 'boss',
      adminPassword: 'boss-password',
    });
    const auto = await seedOnStart(
      busy.database.db,
      config({ QUADMETER_OPERATOR_PASSWORD: 'op-password-1' }),
    );
    expect(auto).toEqual({
      operator: { tenant: 'platform', username: 'operator', password: 'op-password-1' },
    });
    const codes = async () =>
      (await busy.database.sql`select code from tenants order by code`).map((r) => r.code);
    expect(await codes()).toEqual(['acme']);
    expect(await seedOnStart(busy.database.db, config({ QUADMETER_DEMO: 'off' }))).toEqual({});
    expect(await codes()).toEqual(['acme']);
    const forced = await seedOnStart(
      busy.database.db,
      config({ QUADMETER_DEMO: 'on', QUADMETER_DEMO_PASSWORD: 'forced-demo-pw' }),
    );
    expect(forced).toEqual({ demo: { tenant: 'demo', username: 'admin', password: 'forced-demo-pw' } });
    expect(await codes()).toEqual(['acme', 'demo']);
    const before = await snapshot(busy);
    expect(await seedOnStart(busy.database.db, config({ QUADMETER_DEMO: 'on' }))).toEqual({});
    expect(await snapshot(busy)).toEqual(before);
  });

  it('QUADMETER_DEMO accepts on and off only', () => {
    expect(config({ QUADMETER_DEMO: 'off' }).QUADMETER_DEMO).toBe('off');
    expect(() => config({ QUADMETER_DEMO: 'yes' })).toThrow(/QUADMETER_DEMO/);
  });
});
