import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { rawClient } from '../../db/raw-tx.ts';
import { bindTenant } from '../../db/tenant.ts';
import { backupTenant } from './backup.ts';
import { seedBackupTenant } from './backup-fixtures.ts';
import { canonicalCopy, canonicalSettings, streamCopy } from './canonical.ts';
import { EXCLUDED, tenantTables } from './catalogue.ts';
import { installRemap, remapExpr } from './remap.ts';
import { type RestoreResult, restoreAsNewTenant } from './restore.ts';
import { resealBackup, tamperBackup } from './rewrite-fixture.ts';
import { migrationTags } from './schema-version.ts';

let t: TestDatabase;
let dir: string;
let source: string;
let file: string;

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'qm-backup-'));
  source = await seedBackupTenant(t.database, 'acme', { readingMeters: 200, readingsPerMeter: 24 });
  file = join(dir, 'acme.qmb');
}, 120_000);
afterAll(async () => {
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Rows of every table with a tenant_id, all tenants (the test connects as the owner, superuser). */
async function allRows(): Promise<Record<string, number>> {
  const tables = await t.database.sql<{ table: string }[]>`
    select c.relname as table from pg_class c where c.relnamespace = 'public'::regnamespace
      and c.relkind in ('r', 'p') and not c.relispartition and exists (select 1 from pg_attribute a
        where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)`;
  const out: Record<string, number> = {};
  for (const { table } of [...tables, { table: 'tenants' }]) {
    const [{ n }] = await t.database.sql.unsafe(`select count(*)::int as n from "${table}"`);
    out[table] = n;
  }
  return out;
}

/**
 * Per-table SHA-256 of a tenant's canonical row stream; with `map`, of the SOURCE tenant's rows
 * sent through the restore's id map (what the copy must hold, byte for byte).
 */
async function tableHashes(tenantId: string, map?: { to: string; r: RestoreResult }) {
  return await t.database.jobs.transaction(async (dtx) => {
    const tx = rawClient(dtx);
    await bindTenant(dtx, tenantId);
    await canonicalSettings(tx);
    if (map) {
      await installRemap(tx, { fromTenant: tenantId, toTenant: map.to, salt: map.r.salt });
      await tx`select set_config('qm.restored_at', ${map.r.restoredAt}, true)`;
    }
    const out: Record<string, { rows: number; sha256: string }> = {};
    for (const table of await tenantTables(tx)) {
      const exprs = map ? table.columns.map((c) => remapExpr(table.table, c, 's')) : undefined;
      const { rows, sha256 } = await streamCopy(tx, canonicalCopy(table, tenantId, exprs));
      out[table.table] = { rows, sha256 };
    }
    return out;
  });
}

describe('tenant backup and restore', () => {
  let restored: RestoreResult;

  it('backs up a demo-like tenant: every tenant table, row counts and hashes in the manifest', async () => {
    const result = await backupTenant(t.database, 'acme', file);
    const by = new Map(result.manifest.tables.map((s) => [s.table, s]));
    const plain = await tableHashes(source);
    for (const [table, h] of Object.entries(plain)) expect(by.get(table), table).toMatchObject(h);
    expect(by.get('readings')?.rows).toBe(200 * 24);
    for (const table of [
      'meters',
      'customers',
      'bills',
      'bill_lines',
      'ledger_entries',
      'ledger_allocations',
      'account_balances',
      'payments',
      'documents',
      'audit_log',
      'users',
      'prepaid_dirty',
    ])
      expect(by.get(table)?.rows, table).toBeGreaterThan(0);
    for (const excluded of Object.keys(EXCLUDED)) expect(by.has(excluded)).toBe(false);
    console.log(
      `backup: ${result.bytes} bytes, ${result.manifest.tables.reduce((n, s) => n + s.rows, 0)} rows`,
    );
  }, 60_000);

  it('restores as a new tenant: every table equal to the source through the id map, no id shared', async () => {
    const before = await allRows();
    restored = await restoreAsNewTenant(t.database, file, { code: 'acme-copy' });
    const after = await allRows();
    const expected = await tableHashes(source, { to: restored.tenantId, r: restored });
    const actual = await tableHashes(restored.tenantId);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const [table, h] of Object.entries(expected)) expect(actual[table], table).toEqual(h);
    // every backed-up row arrived once, and the search keys were derived by the triggers again
    for (const [table, h] of Object.entries(expected))
      expect(after[table] - before[table], table).toBe(h.rows);
    expect(after.tenants - before.tenants).toBe(1);
    expect(after.meter_search - before.meter_search).toBeGreaterThan(0);
    // no uuid of the source survives in the copy's meters, accounts or readings
    const [{ shared }] = await t.database.sql`select count(*)::int as shared from meters a join meters b
      on a.id = b.id where a.tenant_id = ${source} and b.tenant_id = ${restored.tenantId}`;
    expect(shared).toBe(0);
  }, 90_000);

  it('restores the same file a second time side by side without any clash', async () => {
    const again = await restoreAsNewTenant(t.database, file, { code: 'acme-copy2' });
    expect(again.tenantId).not.toBe(restored.tenantId);
    const actual = await tableHashes(again.tenantId);
    const expected = await tableHashes(source, { to: again.tenantId, r: again });
    expect(actual).toEqual(expected);
  }, 90_000);

  it('refuses a damaged file before writing anything: one flipped byte, truncated, wrong magic, wrong version, empty', async () => {
    const good = await readFile(file);
    const cases: [string, Buffer, string][] = [];
    const flipped = Buffer.from(good);
    flipped[Math.floor(good.length / 2)] ^= 0x01;
    cases.push(['flipped', flipped, 'BACKUP_CORRUPT']);
    cases.push(['truncated', good.subarray(0, good.length - 100), 'BACKUP_CORRUPT']);
    cases.push(['truncated-early', good.subarray(0, Math.floor(good.length / 3)), 'BACKUP_CORRUPT']);
    const magic = Buffer.from(good);
    magic.write('NOTABACK', 0, 'ascii');
    cases.push(['magic', magic, 'BACKUP_FORMAT']);
    const version = Buffer.from(good);
    version.writeUInt16BE(99, 8);
    cases.push(['version', version, 'BACKUP_VERSION']);
    cases.push(['empty', Buffer.alloc(0), 'BACKUP_FORMAT']);
    const before = await allRows();
    for (const [name, bytes, code] of cases) {
      const bad = join(dir, `${name}.qmb`);
      await writeFile(bad, bytes);
      const err = await restoreAsNewTenant(t.database, bad, { code: `bad-${name}` }).catch((e) => e);
      expect(err.code, name).toBe(code);
    }
    expect(await allRows()).toEqual(before);
  }, 90_000);

  it('refuses rows changed inside the compressed stream, and a schema this build does not know', async () => {
    const before = await allRows();
    const tampered = join(dir, 'tampered.qmb');
    await tamperBackup(file, tampered, '1000.25', '1000.26');
    const err = await restoreAsNewTenant(t.database, tampered, { code: 'tampered' }).catch((e) => e);
    expect(err.code).toBe('BACKUP_CORRUPT');
    expect(err.message).toContain('readings');
    const future = join(dir, 'future.qmb');
    await resealBackup(file, future, { header: (h) => ({ ...h, schema: '9999_from_the_future' }) });
    const newer = await restoreAsNewTenant(t.database, future, { code: 'future' }).catch((e) => e);
    expect(newer.code).toBe('BACKUP_VERSION');
    expect(await allRows()).toEqual(before);
  }, 60_000);

  it('restores a backup from an older schema: a column it lacks takes its default', async () => {
    const tags = migrationTags();
    const older = join(dir, 'older.qmb');
    // as if customers.notify_channels (its last column) had come with a later migration: a synthesized older backup
    await resealBackup(file, older, {
      header: (h) => ({
        ...h,
        schema: tags.at(-3)!,
        tables: h.tables.map((x) =>
          x.table === 'customers'
            ? { ...x, columns: x.columns.filter((c) => c.name !== 'notify_channels') }
            : x,
        ),
      }),
      rows: (table, text) => (table === 'customers' ? text.replace(/\t[^\t\n]*\n/g, '\n') : text),
    });
    const r = await restoreAsNewTenant(t.database, older, { code: 'acme-older' });
    expect(r.notes).toContain(
      'column customers.notify_channels is newer than the backup; it takes its default',
    );
    expect(r.notes[0]).toContain(`backup made at schema ${tags.at(-3)}`);
    const [{ n, d }] = await t.database.sql`select count(*)::int as n,
      count(*) filter (where notify_channels = '{sms,wechat,email}')::int as d
      from customers where tenant_id = ${r.tenantId}`;
    expect(n).toBeGreaterThan(1000);
    expect(d).toBe(n);
  }, 90_000);

  it('refuses a code that exists and a malformed code, writing nothing', async () => {
    const before = await allRows();
    const taken = await restoreAsNewTenant(t.database, file, { code: 'acme' }).catch((e) => e);
    expect(taken.code).toBe('BACKUP_TENANT_EXISTS');
    for (const code of ['', 'A B', 'x\u0000y', 'x'.repeat(300)]) {
      const err = await restoreAsNewTenant(t.database, file, { code }).catch((e) => e);
      expect(err.code, code).toBe('BACKUP_TENANT_CODE');
    }
    expect(await allRows()).toEqual(before);
  });

  it('an unknown tenant cannot be backed up', async () => {
    const err = await backupTenant(t.database, 'nobody', join(dir, 'x.qmb')).catch((e) => e);
    expect(err.code).toBe('TENANT_NOT_FOUND');
  });
});
