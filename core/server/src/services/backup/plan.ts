import { AppError } from '@quadmeter/sdk';
import type postgres from 'postgres';
import { type CatalogueTable, DERIVED, EXCLUDED, tenantTables } from './catalogue.ts';
import type { BackupHeader, BackupTable } from './format.ts';
import { migrationTags } from './schema-version.ts';

/** A type name as format_type() prints it; anything else in a manifest is refused. */
const TYPE = /^[a-z][a-z0-9 _]*(\(\d+(,\d+)?\))?(\[\])?$/;

export interface TablePlan {
  backup: BackupTable;
  /** undefined: the table no longer exists; its rows are skipped */
  target?: CatalogueTable;
  /** backup columns that still exist, in backup order */
  columns: string[];
  derived: boolean;
}

export interface RestorePlan {
  tables: TablePlan[];
  /** what an older backup loses or defaults, for the report */
  notes: string[];
}

/**
 * Matches a verified backup against this database before anything is written: the schema version
 * must be one this build knows (same or older); tables and columns are matched by name, columns
 * the backup lacks take their defaults, and a column that must be filled but has no default
 * refuses the restore (BACKUP_INCOMPATIBLE).
 */
export async function planRestore(sql: postgres.Sql, header: BackupHeader): Promise<RestorePlan> {
  const tags = migrationTags();
  const at = tags.indexOf(header.schema);
  if (at < 0)
    throw new AppError(
      'BACKUP_VERSION',
      `The backup was made at schema ${header.schema}, which this Quadmeter (at ${tags.at(-1)}) does not know; restore it with a newer Quadmeter`,
    );
  const current = new Map((await tenantTables(sql)).map((t) => [t.table, t]));
  const required = await sql<{ table: string; column: string }[]>`
    select c.relname as table, a.attname as column from pg_attribute a join pg_class c on c.oid = a.attrelid
    where c.relnamespace = 'public'::regnamespace and a.attnum > 0 and not a.attisdropped and a.attnotnull
      and not a.atthasdef and a.attidentity = '' and a.attgenerated = ''`;
  const notes: string[] = [];
  const tables = header.tables.map((b): TablePlan => {
    for (const c of b.columns)
      if (!TYPE.test(c.type))
        throw new AppError('BACKUP_CORRUPT', `column ${b.table}.${c.name} has an unknown type`);
    const target = current.get(b.table);
    if (!target) {
      if (!(b.table in EXCLUDED)) notes.push(`table ${b.table} no longer exists; its rows were skipped`);
      return { backup: b, columns: [], derived: false };
    }
    const names = new Set(target.columns.map((c) => c.name));
    const columns = b.columns.map((c) => c.name).filter((n) => names.has(n));
    for (const c of b.columns)
      if (!names.has(c.name)) notes.push(`column ${b.table}.${c.name} no longer exists; dropped`);
    const had = new Set(b.columns.map((c) => c.name));
    for (const c of target.columns.filter((c) => !had.has(c.name))) {
      if (required.some((r) => r.table === b.table && r.column === c.name))
        throw new AppError(
          'BACKUP_INCOMPATIBLE',
          `The backup has no ${b.table}.${c.name}, which this schema requires and cannot default`,
        );
      notes.push(`column ${b.table}.${c.name} is newer than the backup; it takes its default`);
    }
    return { backup: b, target, columns, derived: b.table in DERIVED };
  });
  if (at < tags.length - 1)
    notes.unshift(`backup made at schema ${header.schema}, restored at ${tags.at(-1)}`);
  return { tables, notes };
}
