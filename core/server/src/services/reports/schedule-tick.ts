import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { readSystem, withTenant } from '../../db/tenant.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Logger } from '../../logger.ts';
import { loadUserActor } from '../identity/load-actor.ts';
import { kickNotify } from '../notify/queue.ts';
import { RETENTION_DAYS, runExport } from './exports.ts';
import { nextRun } from './schedules.ts';
import type { Lang } from './types.ts';

export const REPORT_SCHEDULE_QUEUE = 'reports.schedule-tick';

interface Due extends Record<string, unknown> {
  id: string;
  report: string;
  params: Record<string, unknown>;
  format: 'xlsx' | 'pdf';
  lang: Lang;
  cron: string;
  recipients: string[];
  area_scope: string[] | null;
  created_by: string;
  created_by_name: string;
}

/** Why the creator can no longer run it (null: they still can). */
async function skipReason(db: Db, tenantId: string, userId: string): Promise<string | null> {
  try {
    const a = await loadUserActor(db, tenantId, userId);
    return a.permissions.has('reports.read') ? null : 'AUTH_FORBIDDEN';
  } catch (err) {
    return err instanceof AppError ? err.code : 'INTERNAL';
  }
}

/**
 * Claims one due schedule of the tenant: `for update skip locked` so two ticks racing never take
 * the same row, and its next_run_at moves on in the same transaction (a claimed run is not claimed
 * again). The output row is written in that transaction too. Answers null when nothing is due.
 */
async function claim(db: Db, tenantId: string, timeZone: string) {
  return withTenant(db, tenantId, async (tx) => {
    const [d] = await tx.execute<Due>(sql`select id, report, params, format, lang, cron, recipients,
        area_scope, created_by, created_by_name from report_schedules
      where enabled and next_run_at <= now() order by next_run_at limit 1 for update skip locked`);
    if (!d) return null;
    const next = nextRun(d.cron, timeZone);
    const skip = await skipReason(db, tenantId, d.created_by);
    if (skip) {
      await tx.execute(sql`update report_schedules set next_run_at = ${next.toISOString()},
        last_run_at = now(), last_skip = ${skip} where id = ${d.id}`);
      return { d, outputId: null, skip };
    }
    await tx.execute(sql`delete from report_outputs where expires_at < now()`);
    const scope = d.area_scope ? uuidArray(d.area_scope) : sql`null::uuid[]`;
    const [o] = await tx.execute<{ id: string }>(sql`insert into report_outputs (tenant_id, report, params,
        format, lang, area_scope, requested_by, requested_by_name, expires_at)
      values (${tenantId}, ${d.report}, ${JSON.stringify(d.params)}::jsonb, ${d.format}, ${d.lang}, ${scope},
        ${d.created_by}, ${d.created_by_name}, now() + make_interval(days => ${RETENTION_DAYS}))
      returning id`);
    await tx.execute(sql`update report_schedules set next_run_at = ${next.toISOString()}, last_run_at = now(),
      last_output_id = ${o!.id}, last_skip = null where id = ${d.id}`);
    return { d, outputId: o!.id, skip: null };
  });
}

function mail(d: Due, outputId: string, status: string, baseUrl: string) {
  const link = `${baseUrl.replace(/\/$/, '')}/admin/reports/outputs?id=${outputId}`;
  const zh = d.lang === 'zh-CN';
  const subject = zh ? `定时报表：${d.report}` : `Scheduled report: ${d.report}`;
  const body =
    status === 'done'
      ? zh
        ? `报表 ${d.report}（${d.format}）已生成，保留 ${RETENTION_DAYS} 天，下载：${link}`
        : `The report ${d.report} (${d.format}) is ready and kept ${RETENTION_DAYS} days: ${link}`
      : zh
        ? `报表 ${d.report} 生成失败，详情：${link}`
        : `The report ${d.report} failed; details: ${link}`;
  return { subject, body };
}

/** One email per recipient in the notify outbox (message id per output and address: no duplicates). */
async function deliver(db: Db, tenantId: string, d: Due, outputId: string, baseUrl: string, jobs?: Jobs) {
  await withTenant(db, tenantId, async (tx) => {
    const [o] = await tx.execute<{ status: string }>(
      sql`select status from report_outputs where id = ${outputId}`,
    );
    const text = mail(d, outputId, o?.status ?? 'failed', baseUrl);
    for (const to of d.recipients)
      await tx.execute(sql`insert into notify_outbox (tenant_id, message_id, account_id, event, channel,
          recipient, subject, body, vars)
        values (${tenantId}, ${`report:${outputId}:${to}`.slice(0, 200)}, null, 'report.scheduled', 'email',
          ${to}, ${text.subject}, ${text.body}, ${JSON.stringify({ outputId, report: d.report })}::jsonb)
        on conflict (tenant_id, message_id) do nothing`);
    await kickNotify(tenantId, { tx, jobs });
  });
}

/** Runs every due schedule of every tenant once: claim, export, email. Answers the runs and skips. */
export async function tickSchedules(
  db: Db,
  o: { timeZone: string; baseUrl: string; jobs?: Jobs; logger?: Logger },
): Promise<{ ran: number; skipped: number }> {
  const tenants = (await readSystem(db, (q) =>
    q.execute(sql`select id::text as id from tenants where status = 'active' order by id`),
  )) as unknown as { id: string }[];
  let ran = 0;
  let skipped = 0;
  for (const { id: tenantId } of tenants) {
    for (let i = 0; i < 100; i++) {
      const c = await claim(db, tenantId, o.timeZone);
      if (!c) break;
      if (!c.outputId) {
        skipped++;
        o.logger?.warn({ tenantId, schedule: c.d.id, reason: c.skip }, 'scheduled report skipped');
        continue;
      }
      await runExport(db, tenantId, c.outputId, o.timeZone);
      await deliver(db, tenantId, c.d, c.outputId, o.baseUrl, o.jobs);
      ran++;
    }
  }
  return { ran, skipped };
}

/** The minute tick through pg-boss (one per minute slot across processes). */
export async function startReportSchedules(d: {
  db: Db;
  jobs: Jobs;
  logger: Logger;
  timeZone: string;
  baseUrl: string;
}) {
  await d.jobs.ensureQueue(REPORT_SCHEDULE_QUEUE);
  await d.jobs.boss.schedule(REPORT_SCHEDULE_QUEUE, '* * * * *', {});
  await d.jobs.work(REPORT_SCHEDULE_QUEUE, async () => {
    const r = await tickSchedules(d.db, d);
    if (r.ran || r.skipped) d.logger.info(r, 'scheduled reports ticked');
  });
}
