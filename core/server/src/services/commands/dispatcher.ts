import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Logger } from '../../logger.ts';
import type { Registry } from '../../registry/index.ts';
import type { LeaseKeeper } from '../gateway/lease-keeper.ts';
import type { IngestDeps } from '../readings/ingest.ts';
import { claimBatch, renewLeases, settleOverdue } from './claim.ts';
import { type Claimed, deliver } from './deliver.ts';
import { DEFAULT_DISPATCH_OPTIONS, type DispatchOptions } from './options.ts';
import { DISPATCH_QUEUE, type DispatchJob, kick } from './queue.ts';

export const COMMANDS_TICK_QUEUE = 'commands.tick';

export interface DispatcherDeps {
  db: Db;
  jobs: Jobs;
  registry: Registry;
  ingest: IngestDeps;
  logger: Logger;
  timeZone: string;
  options?: Partial<DispatchOptions>;
  /** false: no minute tick (tests call `tick`) */
  cron?: boolean;
  /** the node's gateway leases: a command goes out on a line only while this node holds it */
  leases?: LeaseKeeper;
}

export interface Dispatcher {
  /** drains a tenant's outbox now (what the queue's job does) */
  pump(tenantId: string): Promise<number>;
  /** wakes every tenant with open commands; settles platform-queued commands that never came back */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The command outbox's sender (decision 0016): a pg-boss job per tenant drains its queued
 * commands — claimed in the database under a lease, delivered in parallel through the transports
 * that own the meters (lines and concentrators serialise themselves), each outcome written as it
 * comes — and a minute tick wakes tenants with commands waiting (retries, in-doubt commands of a
 * dead process) and settles platform-queued ones that never came back.
 */
export async function startDispatcher(d: DispatcherDeps): Promise<Dispatcher> {
  const o = { ...DEFAULT_DISPATCH_OPTIONS, ...d.options };
  const stopping = new AbortController();
  const pump = async (tenantId: string): Promise<number> => {
    const owner = randomUUID();
    let done = 0;
    const renew = setInterval(
      () => {
        renewLeases(d.db, tenantId, owner, o.leaseMs).catch((err) =>
          d.logger.warn({ err, tenantId }, 'command lease renewal failed'),
        );
      },
      Math.max(200, o.leaseMs / 3),
    );
    const deps = {
      db: d.db,
      registry: d.registry,
      ingest: d.ingest,
      logger: d.logger,
      backoffMs: o.backoffMs,
      signal: stopping.signal,
      leases: d.leases,
      onRetry: (at: Date) => {
        kick(d.jobs, tenantId, 'retry', { at }).catch((err) => d.logger.warn({ err }, 'retry kick failed'));
      },
    };
    // workers take claimed commands one by one; when none is left in hand the next claim is
    // made (one at a time), so a slow concentrator never holds up the rest of a claim
    const hand: Claimed[] = [];
    let claiming: Promise<number> | null = null;
    const next = async (): Promise<Claimed | undefined> => {
      while (hand.length === 0) {
        if (stopping.signal.aborted) return undefined;
        claiming ??= claimBatch(d.db, tenantId, owner, { leaseMs: o.leaseMs, limit: o.claimBatch })
          .then((b) => {
            hand.push(...b);
            return b.length;
          })
          .finally(() => {
            claiming = null;
          });
        if ((await claiming) === 0 && hand.length === 0) return undefined;
      }
      return hand.shift();
    };
    const worker = async () => {
      for (let c = await next(); c; c = await next()) {
        try {
          await deliver(deps, tenantId, c);
        } catch (err) {
          // the lease lapses and the next pump reads the meter back before trying again
          d.logger.error({ err, commandId: c.id }, 'recording a command outcome failed');
        }
        done++;
      }
    };
    try {
      // commands freed by those just finished (a meter's next command, a retry due now)
      while (!stopping.signal.aborted) {
        await Promise.all(Array.from({ length: o.concurrency }, worker));
        const more = await claimBatch(d.db, tenantId, owner, { leaseMs: o.leaseMs, limit: o.claimBatch });
        if (more.length === 0) break;
        hand.push(...more);
      }
    } finally {
      clearInterval(renew);
      if (stopping.signal.aborted)
        await withTenant(d.db, tenantId, (tx) =>
          tx.execute(sql`update meter_commands set lease_until = now() - interval '1 second'
            where status = 'sent' and not awaiting and lease_owner = ${owner}`),
        ).catch(() => {});
    }
    return done;
  };
  const tick = async () => {
    const tenants = (await withSystem(d.db, (tx) =>
      tx.execute(sql`select id::text as id from tenants where status = 'active'`),
    )) as unknown as { id: string }[];
    for (const t of tenants) {
      await settleOverdue(d.db, t.id, o.confirmGraceMs);
      const [open] = (await withTenant(d.db, t.id, (tx) =>
        tx.execute(sql`select 1 from meter_commands where (status = 'queued' and (next_attempt_at <= now()
          or expires_at < now())) or (status = 'sent' and not awaiting and lease_until < now()) limit 1`),
      )) as unknown[];
      if (open) await kick(d.jobs, t.id, 'tick');
    }
  };
  await d.jobs.ensureQueue(DISPATCH_QUEUE);
  await d.jobs.work<DispatchJob>(DISPATCH_QUEUE, async (job) => void (await pump(job.tenantId)), {
    batchSize: 1,
    concurrency: 4,
    pollingIntervalSeconds: 0.5,
  });
  if (d.cron !== false) {
    await d.jobs.ensureQueue(COMMANDS_TICK_QUEUE);
    await d.jobs.boss.schedule(COMMANDS_TICK_QUEUE, '* * * * *', {}, { tz: d.timeZone });
    await d.jobs.work(COMMANDS_TICK_QUEUE, tick);
    await tick().catch((err) => d.logger.error({ err }, 'command tick failed on start'));
  }
  return {
    pump,
    tick,
    async stop() {
      stopping.abort();
      await d.jobs.offWork(DISPATCH_QUEUE);
      if (d.cron !== false) await d.jobs.offWork(COMMANDS_TICK_QUEUE);
    },
  };
}
