import { isAppError } from '@quadmeter/sdk';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { imports } from '../../db/schema/index.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Platform } from '../../platform.ts';
import { meterKinds } from '../archives/meter-kinds.ts';
import { todayIn } from '../archives/scope.ts';
import { recordAudit } from '../audit/record.ts';
import { type Actor, requirePermission } from '../identity/actor.ts';
import { loadOperatorActor, loadUserActor } from '../identity/load-actor.ts';
import { loadCustomFields } from './custom-fields.ts';
import { checkRows, parseFile, runImport } from './engine.ts';
import { type ImportEntity, importEntities } from './entities.ts';
import type { CheckContext } from './entity.ts';
import { importFilePath, removeImportFile } from './file-store.ts';
import { emptyReport, type ImportReport } from './report.ts';
import { APPLY_QUEUE, type ImportJob, VALIDATE_QUEUE } from './service.ts';
import { readStaged, removeStaged, writeStaged } from './stage.ts';
import { findImport, type ImportRow, progressOf, setState, statePatch } from './store.ts';

/** The uploader as they are now: a user who lost the permission or part of their scope loses it here too. */
async function reloadActor(db: Db, tenantId: string, row: ImportRow): Promise<Actor> {
  const by = progressOf(row).by;
  const actor =
    by.kind === 'operator'
      ? await loadOperatorActor(db, by.id, tenantId)
      : await loadUserActor(db, tenantId, by.id);
  requirePermission(actor, 'archives.import');
  const extra = importEntities[row.entity as ImportEntity].permission;
  if (extra) requirePermission(actor, extra);
  return actor;
}

function failure(e: unknown) {
  if (isAppError(e)) return { code: e.code, message: e.message };
  return { code: 'IMPORT_APPLY_FAILED', message: 'The import failed; nothing was changed' };
}

/** The shortest time between two progress writes of a job. */
const PROGRESS_MS = 250;

async function prepare(p: Platform, db: Db, tenantId: string, row: ImportRow) {
  const entity = importEntities[row.entity as ImportEntity];
  const actor = await reloadActor(db, tenantId, row);
  const kind = progressOf(row).kind;
  const path = importFilePath(p.config.QUADMETER_DATA_DIR, tenantId, row.id, kind);
  // the reader reports every 2,000 rows; each write is a transaction of its own with a commit,
  // so at most one every PROGRESS_MS (a 100k-row file: a few instead of fifty)
  let reported = Number.NEGATIVE_INFINITY;
  const progress = async (rows: number) => {
    const now = performance.now();
    if (now - reported < PROGRESS_MS) return;
    reported = now;
    await setState(db, tenantId, row.id, { progress: { rows } });
  };
  const kinds = () => meterKinds(p.registry);
  return {
    entity,
    actor,
    kind,
    path,
    progress,
    kinds,
    day: todayIn(p.config.QUADMETER_TIMEZONE),
    timeZone: p.config.QUADMETER_TIMEZONE,
  };
}

/** Dry run: reads and checks every row in a read-only pass and stores the report. */
export async function validateImport(p: Platform, tenantId: string, importId: string): Promise<void> {
  const db = p.database.jobs;
  const row = await withTenant(db, tenantId, (tx) => findImport(tx, null, importId));
  if (row.status !== 'queued' && row.status !== 'validating') return;
  await setState(db, tenantId, importId, { status: 'validating', progress: { rows: 0 } });
  try {
    const w = await prepare(p, db, tenantId, row);
    const { report } = await withTenant(db, tenantId, async (tx) => {
      await tx.execute(sql`set transaction read only`);
      const ctx: CheckContext = {
        actor: w.actor,
        today: w.day,
        timeZone: w.timeZone,
        customFields: await loadCustomFields(tx, w.entity.customFieldEntity),
        meterKinds: w.kinds,
      };
      const t0 = performance.now();
      const file = await parseFile({
        entity: w.entity,
        path: w.path,
        kind: w.kind,
        ctx,
        onProgress: w.progress,
      });
      const t1 = performance.now();
      const checked = await checkRows(tx, w.entity, ctx, file);
      const t2 = performance.now();
      if (checked.report.errors === 0) await writeStaged(w.path, ctx.customFields, file);
      const ms = (a: number, b: number) => Math.round(b - a);
      p.logger.info(
        { importId, readMs: ms(t0, t1), checkMs: ms(t1, t2), stageMs: ms(t2, performance.now()) },
        'import validated',
      );
      return checked;
    });
    await setState(db, tenantId, importId, { status: 'validated', report, progress: { rows: report.total } });
  } catch (e) {
    p.logger.warn({ err: e, importId }, 'import validation failed');
    const fatal = failure(e);
    await setState(db, tenantId, importId, {
      status: 'failed',
      report: { ...emptyReport(), fatal },
      progress: { error: fatal },
      finished: true,
    });
  }
}

/**
 * Applies in ONE transaction: re-checks every row against the database as it is now (under a
 * per-entity lock), then writes all changes and marks the import applied — or writes nothing.
 */
export async function applyImport(p: Platform, tenantId: string, importId: string): Promise<void> {
  const db = p.database.jobs;
  const row = await withTenant(db, tenantId, (tx) => findImport(tx, null, importId));
  if (row.status !== 'applying') return;
  let report: ImportReport | undefined;
  try {
    const w = await prepare(p, db, tenantId, row);
    const applied = await withTenant(db, tenantId, async (tx) => {
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended('quadmeter.import:' || current_setting('app.tenant_id') || ${row.entity}, 0))`,
      );
      const ctx: CheckContext = {
        actor: w.actor,
        today: w.day,
        timeZone: w.timeZone,
        customFields: await loadCustomFields(tx, w.entity.customFieldEntity),
        origin: progressOf(row).origin,
        meterKinds: w.kinds,
      };
      const t0 = performance.now();
      const staged = await readStaged(w.path, ctx.customFields, w.entity);
      const run = staged
        ? await checkRows(tx, w.entity, ctx, staged)
        : await runImport({ tx, entity: w.entity, path: w.path, kind: w.kind, ctx, onProgress: w.progress });
      report = run.report;
      if (run.report.errors > 0) return false;
      const t1 = performance.now();
      await w.entity.apply(tx, run.changes, ctx);
      p.logger.info(
        { importId, checkMs: Math.round(t1 - t0), writeMs: Math.round(performance.now() - t1) },
        'import applied',
      );
      const [current] = await tx.select().from(imports).where(eq(imports.id, importId));
      await tx
        .update(imports)
        .set(
          statePatch(current, {
            status: 'applied',
            report: run.report,
            progress: { rows: run.report.total },
            finished: true,
          }),
        )
        .where(eq(imports.id, importId));
      const origin = progressOf(current).origin;
      await recordAudit(
        tx,
        tenantId,
        { actor: w.actor, ...origin },
        {
          action: 'import.apply',
          targetType: 'import',
          targetId: importId,
          after: {
            entity: row.entity,
            created: run.report.created,
            updated: run.report.updated,
            unchanged: run.report.unchanged,
          },
        },
      );
      return true;
    });
    if (applied)
      return await Promise.all([removeImportFile(w.path), removeStaged(w.path)]).then(() => undefined);
    const error = {
      code: 'IMPORT_HAS_ERRORS',
      message: 'Rows no longer pass the checks; nothing was changed',
    };
    await setState(db, tenantId, importId, { status: 'failed', report, progress: { error }, finished: true });
  } catch (e) {
    p.logger.error({ err: e, importId }, 'import apply failed');
    const error = failure(e);
    await setState(db, tenantId, importId, { status: 'failed', progress: { error }, finished: true });
  }
}

/**
 * Registers the import workers (one job at a time each: imports are heavy and rare), woken as
 * soon as an upload or an apply commits: the operator is waiting for the report.
 */
export async function startImportWorkers(p: Platform): Promise<void> {
  const options = { batchSize: 1, concurrency: 1, pollingIntervalSeconds: 0.5, wakeOnSend: true };
  await p.jobs.work<ImportJob>(
    VALIDATE_QUEUE,
    (job) => validateImport(p, job.tenantId, job.data.importId),
    options,
  );
  await p.jobs.work<ImportJob>(
    APPLY_QUEUE,
    (job) => applyImport(p, job.tenantId, job.data.importId),
    options,
  );
}
