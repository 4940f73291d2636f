import { PassThrough } from 'node:stream';
import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Logger } from '../../logger.ts';
import type { Actor } from '../identity/actor.ts';
import { isoOf } from '../payments/scope-sql.ts';
import { datasetOf, runDataset } from './catalogue.ts';
import { reportHtml, reportPdf } from './outputs.ts';
import { requireArea } from './scope.ts';
import type { Lang } from './types.ts';
import { writeReportXlsx } from './xlsx.ts';

export const REPORT_EXPORT_QUEUE = 'reports.export';
/** how long a finished export is kept for download */
export const RETENTION_DAYS = 7;

export interface OutputDto extends Record<string, unknown> {
  id: string;
  report: string;
  format: 'xlsx' | 'pdf';
  lang: Lang;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  rows: number | null;
  size: number | null;
  error: string | null;
  requestedByName: string;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string;
}

const COLUMNS = sql`id, report, format, lang, status, progress, rows, octet_length(bytes) as size, error,
  requested_by_name as "requestedByName", ${isoOf('created_at')} as "createdAt",
  case when finished_at is null then null else ${isoOf('finished_at')} end as "finishedAt",
  ${isoOf('expires_at')} as "expiresAt"`;

/**
 * Queues an export in the request's transaction (the job exists only if the row does), with the
 * requester's area scope frozen on the row: the job runs with exactly what the requester may see.
 * Expired outputs of the tenant are removed on the way (retention).
 */
export async function queueExport(
  tx: Tx,
  jobs: Jobs,
  actor: Actor,
  tenantId: string,
  v: { report: string; params: Record<string, unknown>; format: 'xlsx' | 'pdf'; lang: Lang },
): Promise<OutputDto> {
  // an area outside the scope is refused now, not discovered by the job
  if (typeof v.params.areaId === 'string') await requireArea({ tx, actor, timeZone: 'UTC' }, v.params.areaId);
  await tx.execute(sql`delete from report_outputs where expires_at < now()`);
  const scope = actor.areaScope ? uuidArray(actor.areaScope) : sql`null::uuid[]`;
  const [row] =
    await tx.execute<OutputDto>(sql`insert into report_outputs (tenant_id, report, params, format, lang,
      area_scope, requested_by, requested_by_name, expires_at)
    values (${tenantId}, ${v.report}, ${JSON.stringify(v.params)}::jsonb, ${v.format}, ${v.lang}, ${scope},
      ${actor.id}, ${actor.displayName || actor.name}, now() + make_interval(days => ${RETENTION_DAYS}))
    returning ${COLUMNS}`);
  await jobs.send(REPORT_EXPORT_QUEUE, tenantId, { id: row!.id }, { tx });
  return row!;
}

/** The requester's own outputs, newest first (unexpired). */
export async function listOutputs(tx: Tx, actor: Actor): Promise<OutputDto[]> {
  return [
    ...(await tx.execute<OutputDto>(sql`select ${COLUMNS} from report_outputs
      where requested_by = ${actor.id} and expires_at > now() order by created_at desc limit 100`)),
  ];
}

/** One of the requester's outputs; RESOURCE_NOT_FOUND for another's, another tenant's, or an expired one. */
export async function outputOf(tx: Tx, actor: Actor, id: string): Promise<OutputDto> {
  const [row] = await tx.execute<OutputDto>(sql`select ${COLUMNS} from report_outputs
    where id = ${id} and requested_by = ${actor.id} and expires_at > now()`);
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', undefined, { id });
  return row;
}

export async function outputBytes(
  tx: Tx,
  actor: Actor,
  id: string,
): Promise<{ dto: OutputDto; bytes: Buffer }> {
  const dto = await outputOf(tx, actor, id);
  if (dto.status !== 'done') throw new AppError('REPORT_OUTPUT_NOT_READY', undefined, { status: dto.status });
  const [row] = await tx.execute<{ bytes: Buffer }>(sql`select bytes from report_outputs where id = ${id}`);
  return { dto, bytes: row!.bytes };
}

async function xlsxBytes(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await write(out);
  await ended;
  return Buffer.concat(chunks);
}

interface Row extends Record<string, unknown> {
  report: string;
  params: Record<string, unknown>;
  format: 'xlsx' | 'pdf';
  lang: Lang;
  area_scope: string[] | null;
  requested_by: string;
  requested_by_name: string;
}

/** Runs one export: query with the frozen scope, render, store the file; progress on the row. */
export async function runExport(db: Db, tenantId: string, id: string, timeZone: string): Promise<void> {
  const set = (fields: ReturnType<typeof sql>) =>
    withTenant(db, tenantId, (tx) => tx.execute(sql`update report_outputs set ${fields} where id = ${id}`));
  const [r] = await withTenant(db, tenantId, (tx) =>
    tx.execute<Row>(sql`update report_outputs set status = 'running', progress = 5
      where id = ${id} and status in ('queued', 'running')
      returning report, params, format, lang, area_scope, requested_by, requested_by_name`),
  );
  if (!r) return;
  const actor: Actor = {
    kind: 'user',
    id: r.requested_by,
    name: r.requested_by_name,
    displayName: r.requested_by_name,
    locale: r.lang,
    tenantId,
    permissions: new Set(['reports.read']),
    areaScope: r.area_scope,
  };
  try {
    const ds = datasetOf(r.report);
    let bytes: Buffer;
    let count = 0;
    if (r.format === 'xlsx') {
      const rows = await withTenant(db, tenantId, (tx) => runDataset({ tx, actor, timeZone }, ds, r.params));
      count = rows.length;
      await set(sql`progress = 40, rows = ${count}`);
      bytes = await xlsxBytes((out) => writeReportXlsx(out, ds, rows, r.lang));
    } else {
      const html = await withTenant(db, tenantId, async (tx) => {
        const h = await reportHtml({ tx, actor, timeZone, ds, params: r.params, lang: r.lang });
        return h;
      });
      await set(sql`progress = 50`);
      bytes = Buffer.from(await reportPdf(html));
    }
    await set(sql`status = 'done', progress = 100, bytes = ${bytes}, finished_at = now()
      ${r.format === 'xlsx' ? sql`` : sql`, rows = null`}`);
  } catch (err) {
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    await set(sql`status = 'failed', error = ${code}, finished_at = now()`);
  }
}

/** The export worker (one job per output; a failed export is recorded on its row, not retried). */
export async function startReportExports(d: { db: Db; jobs: Jobs; logger: Logger; timeZone: string }) {
  await d.jobs.ensureQueue(REPORT_EXPORT_QUEUE);
  await d.jobs.work<{ id: string }>(
    REPORT_EXPORT_QUEUE,
    async (job) => {
      await runExport(d.db, job.tenantId, job.data.id, d.timeZone);
    },
    { batchSize: 1, concurrency: 1, pollingIntervalSeconds: 1, wakeOnSend: true },
  );
}
