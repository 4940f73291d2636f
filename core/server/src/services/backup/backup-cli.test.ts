import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { backupCommand, restoreCommand } from '../../cli/backup.ts';
import { withTenant } from '../../db/tenant.ts';
import { seedDemoAreas } from '../../demo-areas.ts';
import { seedDemoTariffs } from '../../demo-tariffs.ts';
import { createTenant, findTenantByCode } from '../tenants/tenants.ts';
import { backupTenant } from './backup.ts';
import { restoreReplacing } from './replace.ts';
import { backupToDirectory } from './retention.ts';

const bin = fileURLToPath(new URL('../../../bin/quadmeter.mjs', import.meta.url));
let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'qm-backup-cli-'));
  const tenant = await createTenant(t.database.db, {
    code: 'river',
    name: '河畔水务',
    adminUsername: 'admin',
    adminPassword: 'river-password-1',
  });
  await seedDemoAreas(t.database.db, tenant.id);
  await withTenant(t.database.db, tenant.id, (tx) => seedDemoTariffs(tx));
}, 60_000);
afterAll(async () => {
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tenantCount = async () => (await t.database.sql`select count(*)::int as n from tenants`)[0].n as number;
const areaCount = async () => (await t.database.sql`select count(*)::int as n from areas`)[0].n as number;

describe('quadmeter backup / restore', () => {
  it('backs up into a directory keeping the newest n, never a partial file', async () => {
    const backups = join(dir, 'scheduled');
    const r = cli(['backup', '--tenant', 'river', '--dir', backups, '--keep', '2']);
    expect(r.code, r.err).toBe(0);
    const first = JSON.parse(r.out) as { file: string; rows: number; removed: string[] };
    expect(first.rows).toBeGreaterThan(0);
    await writeFile(join(backups, 'river-20200101000000.qmb.partial'), 'unfinished');
    const later = [];
    for (const at of ['2099-01-01T00:00:00Z', '2099-01-02T00:00:00Z'])
      later.push(await backupToDirectory(t.database, 'river', backups, 2, new Date(at)));
    expect(later[0].removed).toEqual([]);
    expect(later[1].removed).toEqual([first.file.split('/').at(-1)]);
    expect((await readdir(backups)).sort()).toEqual([
      'river-20200101000000.qmb.partial',
      'river-20990101000000.qmb',
      'river-20990102000000.qmb',
    ]);
  }, 60_000);

  it('restores as a new tenant and in place after the typed confirmation', async () => {
    const file = join(dir, 'river.qmb');
    await backupTenant(t.database, 'river', file);
    const copy = cli(['restore', file, '--as-new-tenant', 'river-copy']);
    expect(copy.code, copy.err).toBe(0);
    expect(JSON.parse(copy.out)).toMatchObject({ code: 'river-copy' });
    const old = (await findTenantByCode(t.database.db, 'river'))!;
    // the wrong confirmation changes nothing
    const [tenants, areas] = [await tenantCount(), await areaCount()];
    const wrong = await restoreReplacing(t.database, file, { code: 'river', confirm: 'river-copy' }).catch(
      (e) => e,
    );
    expect(wrong.code).toBe('BACKUP_CONFIRM_MISMATCH');
    const other = await restoreReplacing(t.database, file, {
      code: 'river-copy',
      confirm: 'river-copy',
    }).catch((e) => e);
    expect(other.code).toBe('BACKUP_CONFIRM_MISMATCH');
    expect([await tenantCount(), await areaCount()]).toEqual([tenants, areas]);
    const replaced = cli(['restore', file, '--replace', '--confirm', 'river']);
    expect(replaced.code, replaced.err).toBe(0);
    const now = (await findTenantByCode(t.database.db, 'river'))!;
    expect(now.id).not.toBe(old.id);
    const [kept] = await t.database.sql`select code, status from tenants where id = ${old.id}`;
    expect(kept.status).toBe('suspended');
    expect(kept.code).toMatch(/^river-replaced-\d{14}$/);
  }, 90_000);

  it('answers usage errors and a damaged file with stable codes, writing nothing', async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'OK',
        (e) => (e as { code: string }).code,
      );
    expect(await code(backupCommand(['--tenant', 'river']))).toBe('CLI_USAGE');
    expect(await code(backupCommand(['--tenant', 'river', '--out', 'a', '--dir', 'b']))).toBe('CLI_USAGE');
    expect(await code(backupCommand(['--tenant', 'river', '--out', 'a', '--keep', '3']))).toBe('CLI_USAGE');
    expect(await code(restoreCommand(['x.qmb']))).toBe('CLI_USAGE');
    expect(await code(restoreCommand(['x.qmb', '--as-new-tenant', 'a', '--replace']))).toBe('CLI_USAGE');
    expect(await code(restoreCommand(['x.qmb', '--bogus']))).toBe('CLI_USAGE');
    for (const keep of [0, -1, 1.5, 1e9])
      expect(await code(backupToDirectory(t.database, 'river', dir, keep))).toBe('CLI_USAGE');
    const bad = join(dir, 'bad.qmb');
    await writeFile(bad, 'QMBACKUP\u0000\u0001garbage');
    const [tenants, areas] = [await tenantCount(), await areaCount()];
    const r = cli(['restore', bad, '--as-new-tenant', 'nope']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error BACKUP_CORRUPT');
    expect([await tenantCount(), await areaCount()]).toEqual([tenants, areas]);
  }, 60_000);
});
