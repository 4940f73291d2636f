import { AppError } from '@quadmeter/sdk';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { imports } from '../../db/schema/index.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Actor } from '../identity/actor.ts';
import type { FileKind } from './read-file.ts';
import type { ImportReport } from './report.ts';

export type ImportRow = typeof imports.$inferSelect;
export type ImportStatus = ImportRow['status'];

/** What the row's `progress` jsonb holds besides the counters. */
export interface Progress {
  phase: ImportStatus;
  rows: number;
  kind: FileKind;
  /** who uploaded (re-loaded with their current scope by the jobs) */
  by: { kind: Actor['kind']; id: string; name: string };
  origin: { ip: string; requestId: string };
  error?: { code: string; message: string };
}

export function progressOf(row: ImportRow): Progress {
  return row.progress as Progress;
}

/** One import of the tenant; an area-scoped user sees only their own. */
export async function findImport(tx: Tx, actor: Actor | null, id: string): Promise<ImportRow> {
  const [row] = await tx.select().from(imports).where(eq(imports.id, id));
  if (!row || (actor?.areaScope && row.createdBy !== actor.id))
    throw new AppError('RESOURCE_NOT_FOUND', 'No such import', { id });
  return row;
}

export interface StatePatch {
  status?: ImportStatus;
  progress?: Partial<Progress>;
  report?: ImportReport;
  finished?: boolean;
}

export function statePatch(row: ImportRow, patch: StatePatch) {
  return {
    ...(patch.status && { status: patch.status }),
    progress: { ...progressOf(row), ...(patch.status && { phase: patch.status }), ...patch.progress },
    ...(patch.report && { report: patch.report }),
    ...(patch.finished && { finishedAt: new Date() }),
  };
}

/** Updates the import in its own short transaction (visible to pollers at once). */
export async function setState(db: Db, tenantId: string, id: string, patch: StatePatch): Promise<ImportRow> {
  return await withTenant(db, tenantId, async (tx) => {
    const row = await findImport(tx, null, id);
    const [after] = await tx
      .update(imports)
      .set(statePatch(row, patch))
      .where(eq(imports.id, id))
      .returning();
    return after;
  });
}

export function importDto(row: ImportRow) {
  const progress = progressOf(row);
  const report = row.report as ImportReport | null;
  return {
    id: row.id,
    entity: row.entity,
    fileName: row.fileName,
    status: row.status,
    progress: { phase: progress.phase, rows: progress.rows, error: progress.error ?? null },
    report: report && {
      total: report.total,
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged,
      errors: report.errors,
      fatal: report.fatal ?? null,
      ignoredColumns: report.ignoredColumns,
      errorRows: report.errorRows.slice(0, 100),
      errorRowsTruncated: report.errorRowsTruncated || report.errorRows.length > 100,
    },
    createdBy: progress.by.name,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
