import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AppError, isAppError } from '@quadmeter/sdk';
import type postgres from 'postgres';
import type { Database } from '../../db/client.ts';
import { rawClient } from '../../db/raw-tx.ts';
import { bindTenant, withSystem } from '../../db/tenant.ts';
import { findTenantByCode } from '../tenants/tenants.ts';
import { canonicalSettings } from './canonical.ts';
import { DERIVED, ident } from './catalogue.ts';
import { planRestore, type TablePlan } from './plan.ts';
import { walkBackup } from './read.ts';
import { installRemap, restoreExpr } from './remap.ts';
import { RowRemapper } from './remap-rows.ts';

const CODE = /^[a-z0-9][a-z0-9_-]{1,39}$/;

export interface RestoreResult {
  tenantId: string;
  code: string;
  /** the restore's id salt: new id = md5(salt || old id) (remap.ts) */
  salt: string;
  restoredAt: string;
  rows: Record<string, number>;
  notes: string[];
}

/** Loads one table: COPY into a staging table, then INSERT … SELECT through the id map, under RLS. */
class TableLoader {
  private copy?: Writable;
  private remap: RowRemapper;
  private stage: string;
  private tx: postgres.Sql;
  private plan: TablePlan;
  constructor(tx: postgres.Sql, plan: TablePlan, index: number, remap: RowRemapper) {
    this.tx = tx;
    this.remap = remap;
    this.plan = plan;
    this.stage = `qm_stage_${index}`;
  }
  /** The staging table and its COPY open with the first rows: an empty table costs no round trip. */
  private async open() {
    const cols = this.plan.backup.columns.map((c) => `${ident(c.name)} ${c.type}`);
    await this.tx.unsafe(`create temp table ${this.stage} (${cols.join(', ')}) on commit drop`);
    this.copy = await this.tx.unsafe(`copy ${this.stage} from stdin`).writable();
  }
  async data(chunk: Buffer) {
    if (!this.copy) await this.open();
    if (!this.copy!.write(this.remap.push(chunk))) await once(this.copy!, 'drain');
  }
  async end(): Promise<number> {
    if (!this.copy) {
      // nothing in the backup: a derived queue keeps none of what the triggers added
      if (this.plan.derived && DERIVED[this.plan.backup.table].prune)
        await this.tx.unsafe(`delete from public.${ident(this.plan.backup.table)}`);
      return 0;
    }
    const rest = this.remap.flush();
    if (rest.length) this.copy.write(rest);
    const done = once(this.copy, 'finish');
    this.copy.end();
    await done;
    const { backup, columns, derived } = this.plan;
    const table = ident(backup.table);
    const exprs = columns.map((n) => restoreExpr(backup.table, n, 's'));
    let statement = `insert into public.${table} (${columns.map(ident).join(', ')}) overriding system value
      select ${exprs.join(', ')} from ${this.stage} s`;
    if (derived) {
      const key = this.plan.target!.key.map(ident).join(', ');
      const rest = columns.filter((c) => !this.plan.target!.key.includes(c));
      statement += ` on conflict (${key}) do update set ${rest.map((c) => `${ident(c)} = excluded.${ident(c)}`).join(', ')}`;
    }
    // readings are partitioned by month: make sure every month the backup holds has its partition
    if (backup.table === 'readings')
      await this.tx.unsafe(`select readings_ensure_partition(m) from (select distinct
        date_trunc('month', ts at time zone 'UTC')::date as m from ${this.stage}) x`);
    const result = await this.tx.unsafe(statement);
    if (derived && DERIVED[backup.table].prune) {
      const keyExprs = this.plan.target!.key.map((k) => restoreExpr(backup.table, k, 's'));
      const key = this.plan.target!.key.map(ident).join(', ');
      await this.tx.unsafe(
        `delete from public.${table} where (${key}) not in (select ${keyExprs.join(', ')} from ${this.stage} s)`,
      );
    }
    await this.tx.unsafe(`drop table ${this.stage}`);
    return result.count;
  }
}

/**
 * Restores a backup file as a NEW tenant with the given code: the whole file is verified first
 * (walkBackup: magic, format, checksums, manifest; planRestore: schema version and columns), and
 * only then one transaction creates the tenant, binds itself to it (FORCE RLS applies to every
 * write), loads the tables in the file's dependency order with every id remapped, and advances
 * the identity sequences. Any failure rolls everything back.
 */
export async function restoreAsNewTenant(
  database: Database,
  file: string,
  options: { code: string; name?: string },
): Promise<RestoreResult> {
  if (!CODE.test(options.code))
    throw new AppError('BACKUP_TENANT_CODE', 'A tenant code is 2–40 lowercase letters, digits, - or _');
  const { header } = await walkBackup(file);
  const plan = await planRestore(database.sql, header);
  if (await findTenantByCode(database.jobs, options.code))
    throw new AppError('BACKUP_TENANT_EXISTS', `a tenant with the code "${options.code}" exists already`);
  const tenantId = randomUUID();
  const salt = randomUUID().replaceAll('-', '');
  const rows: Record<string, number> = {};
  const restoredAt = await withSystem(database.jobs, async (dtx) => {
    const tx = rawClient(dtx);
    const t = header.tenant;
    await tx`insert into tenants (id, code, name, status, created_at)
      values (${tenantId}, ${options.code}, ${options.name ?? t.name}, ${t.status}, ${t.createdAt})`;
    await bindTenant(dtx, tenantId);
    await canonicalSettings(tx);
    const [{ now }] = await tx<{ now: string }[]>`select now()::text as now`;
    await tx`select set_config('qm.restored_at', ${now}, true)`;
    const map = { fromTenant: t.id, toTenant: tenantId, salt };
    await installRemap(tx, map);
    const remap = new RowRemapper(map);
    let loader: TableLoader | undefined;
    let index = 0;
    try {
      await walkBackup(file, {
        begin: async () => {
          const p = plan.tables[index];
          loader = p.target ? new TableLoader(tx, p, index, remap) : undefined;
          index++;
        },
        data: (chunk) => loader?.data(chunk),
        end: async (s) => {
          if (loader) rows[s.table] = await loader.end();
          loader = undefined;
        },
      });
    } catch (e) {
      if (isAppError(e)) throw e;
      const table = plan.tables[index - 1]?.backup.table;
      throw new AppError(
        'BACKUP_RESTORE_FAILED',
        `restoring table ${table} failed: ${(e as Error).message}`,
        undefined,
        {
          cause: e,
        },
      );
    }
    await advanceSequences(tx, plan.tables);
    return now;
  });
  return { tenantId, code: options.code, salt, restoredAt, rows, notes: plan.notes };
}

/**
 * Identity sequences are shared by all tenants: after rows kept their ids, each sequence moves
 * past the largest restored id, so new rows never collide with them (as the connecting role).
 */
async function advanceSequences(tx: postgres.Sql, tables: TablePlan[]) {
  await tx`select set_config('role', 'none', true)`;
  for (const p of tables) {
    for (const col of p.target?.identity ?? []) {
      const [{ seq }] = await tx<
        { seq: string }[]
      >`select pg_get_serial_sequence(${`public.${ident(p.backup.table)}`}, ${col}) as seq`;
      await tx.unsafe(
        `select setval('${seq.replaceAll("'", "''")}', greatest((select last_value from ${seq}),
          coalesce((select max(${ident(col)}) from public.${ident(p.backup.table)}), 1)))`,
      );
    }
  }
}
