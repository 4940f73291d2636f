import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.ts';
import { readSystem, withTenant } from '../../db/tenant.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Logger } from '../../logger.ts';
import { evaluateAccount, type PrepaidDeps } from './evaluate.ts';
import { prepaidDeps } from './notices.ts';
import type { Notify } from './notify.ts';

/** One tenant's pass: accounts whose balance changed and those whose time has come. */
export const PREPAID_QUEUE = 'prepaid.evaluate';
/** The minute tick: wakes tenants with work (a window ended, a cut delay ran out). */
export const PREPAID_TICK_QUEUE = 'prepaid.tick';

export interface PrepaidWorkerDeps {
  database: Database;
  jobs: Jobs;
  logger: Logger;
  timeZone: string;
  /** where notices go (services/prepaid/notices.ts `prepaidNotify` in the platform) */
  notify: Notify;
  /** false: no minute tick and no LISTEN (tests drive `drain`) */
  cron?: boolean;
}

export interface PrepaidWorker {
  deps: PrepaidDeps;
  /** evaluates the tenant's changed and due accounts (each in its own transaction); answers how many */
  drain(tenantId: string, now?: number): Promise<number>;
  tick(): Promise<void>;
  stop(): Promise<void>;
}

async function dueAccounts(db: Db, tenantId: string, now: number, limit: number): Promise<string[]> {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx.execute<{ id: string }>(sql`
      (select account_id::text as id from prepaid_dirty order by queued_at limit ${limit})
      union
      (select account_id::text as id from prepaid_accounts
       where next_check_at <= ${new Date(now).toISOString()}::timestamptz order by next_check_at limit ${limit})`),
  );
  return rows.map((r) => r.id);
}

/**
 * The prepaid worker (decision 0031): ledger postings and ended prepaid commands mark accounts
 * dirty by trigger and NOTIFY `prepaid_dirty`; the listener (and a minute tick for deadlines and
 * anything missed) enqueues one pg-boss job per tenant, singleton per tenant, that evaluates them.
 */
export async function startPrepaidWorker(w: PrepaidWorkerDeps): Promise<PrepaidWorker> {
  const deps: PrepaidDeps = prepaidDeps(w.jobs, w.timeZone, w.notify);
  const db = w.database.jobs;
  const drain = async (tenantId: string, now?: number): Promise<number> => {
    let done = 0;
    const seen = new Set<string>();
    for (;;) {
      const at = now ?? Date.now();
      const ids = (await dueAccounts(db, tenantId, at, 200)).filter((id) => !seen.has(id));
      if (ids.length === 0) return done;
      for (const id of ids) {
        seen.add(id);
        try {
          await withTenant(db, tenantId, (tx) => evaluateAccount(tx, deps, tenantId, id, at));
        } catch (err) {
          w.logger.error({ err, tenantId, accountId: id }, 'prepaid evaluation failed');
        }
        done++;
      }
    }
  };
  const kick = (tenantId: string) =>
    w.jobs.send(PREPAID_QUEUE, tenantId, {}, { singletonKey: tenantId }).catch((err) => {
      w.logger.warn({ err, tenantId }, 'prepaid kick failed');
      return null;
    });
  const tick = async () => {
    const tenants = (await readSystem(db, (x) =>
      x.execute(sql`select id::text as id from tenants where status = 'active' order by id`),
    )) as unknown as { id: string }[];
    for (const t of tenants) if ((await dueAccounts(db, t.id, Date.now(), 1)).length) await kick(t.id);
  };
  await w.jobs.ensureQueue(PREPAID_QUEUE);
  await w.jobs.work(PREPAID_QUEUE, async (job) => void (await drain(job.tenantId)), {
    batchSize: 1,
    concurrency: 2,
    pollingIntervalSeconds: 0.5,
  });
  let unlisten: (() => Promise<void>) | null = null;
  if (w.cron !== false) {
    const l = await w.database.sql.listen('prepaid_dirty', (tenantId) => void kick(tenantId));
    unlisten = () => l.unlisten();
    await w.jobs.ensureQueue(PREPAID_TICK_QUEUE);
    await w.jobs.boss.schedule(PREPAID_TICK_QUEUE, '* * * * *', {}, { tz: w.timeZone });
    await w.jobs.work(PREPAID_TICK_QUEUE, tick);
    await tick().catch((err) => w.logger.error({ err }, 'prepaid tick failed on start'));
  }
  return {
    deps,
    drain,
    tick,
    async stop() {
      await unlisten?.().catch(() => {});
      await w.jobs.offWork(PREPAID_QUEUE);
      if (w.cron !== false) await w.jobs.offWork(PREPAID_TICK_QUEUE);
    },
  };
}
