import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Logger } from '../../logger.ts';
import type { Registry } from '../../registry/index.ts';
import type { LeaseKeeper } from '../gateway/lease-keeper.ts';
import type { IngestDeps } from '../readings/ingest.ts';
import type { TaskKind } from './kinds.ts';
import type { LineLocks } from './line-locks.ts';
import { type PendingMeter, pendingMeters, planReads, pollTransports } from './plan.ts';
import { readLine } from './read-line.ts';
import { alreadyStored, pushedReadings, recordOutcomes } from './record.ts';

export interface EngineOptions {
  /** how long a runner holds a task without renewing; a lapsed lease is taken over */
  leaseMs: number;
  /** pause before retry round r: backoffMs · 2^(r−1) */
  backoffMs: number;
  /** lines read at once per task */
  lineConcurrency: number;
  /** results ingested together */
  flushEvery: number;
  /** how old a pushed real-time reading may be to answer a push-only meter */
  pushWindowMs: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  leaseMs: 60_000,
  backoffMs: 5_000,
  lineConcurrency: 8,
  flushEvery: 16,
  pushWindowMs: 86_400_000,
};

export interface RunnerDeps {
  db: Db;
  registry: Registry;
  ingest: IngestDeps;
  logger: Logger;
  options: EngineOptions;
  /** one reader per line in this process, across tasks */
  lines: LineLocks;
  /** aborts when the engine stops: runs hand their tasks back (lease released) */
  stopping?: AbortSignal;
  /** this node's gateway leases: a line is read only while held (docs/scaling.md) */
  leases?: LeaseKeeper;
  /** live progress: a line's results were recorded */
  onProgress?: (taskId: string, line: string, n: number) => void;
}

interface Claimed {
  id: string;
  kind: TaskKind;
  frozenFor: string | null;
  rounds: number;
  round: number;
  fallback: boolean;
  startedAt: string;
  /** a previous runner started it (killed, or its lease lapsed) */
  resumed: boolean;
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((ok) => {
    const t = setTimeout(ok, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        ok();
      },
      { once: true },
    );
  });

/** Runs `fn` over `items`, at most `limit` at once. */
async function bounded<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function claim(d: RunnerDeps, tenantId: string, taskId: string, owner: string) {
  const rows = (await withTenant(d.db, tenantId, (tx) =>
    tx.execute(sql`
      update reading_tasks set status = 'running', lease_owner = ${owner},
        lease_until = now() + make_interval(secs => ${d.options.leaseMs / 1000}),
        started_at = coalesce(started_at, now())
      where id = ${taskId} and status in ('queued', 'running')
        and (lease_until is null or lease_until < now())
      returning id::text as id, kind, frozen_for as "frozenFor", rounds, round, fallback,
        to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "startedAt",
        started_at < now() as resumed`),
  )) as unknown as Claimed[];
  return rows[0] ?? null;
}

/**
 * Runs a task to its end (a pg-boss job): claims its lease (another runner holding it keeps it),
 * then round by round reads the pending meters — lines in parallel, bounded, each line serialised
 * by its transport — and records each outcome; failed meters are read again (补抄) after a
 * growing pause for the configured rounds; real-time reads still failing fall back to the day's
 * frozen value. Progress lives in the database, so a runner killed at any point is resumed by the
 * next one from the round it was in, and a meter whose reading was stored is never read again.
 */
export async function runTask(d: RunnerDeps, tenantId: string, taskId: string): Promise<void> {
  const owner = randomUUID();
  const task = await claim(d, tenantId, taskId, owner);
  if (!task) return;
  const lost = new AbortController();
  const onStop = () => lost.abort(new Error('engine stopping'));
  d.stopping?.addEventListener('abort', onStop, { once: true });
  const renew = setInterval(
    () => {
      withTenant(d.db, tenantId, (tx) =>
        tx.execute(sql`update reading_tasks
          set lease_until = now() + make_interval(secs => ${d.options.leaseMs / 1000})
          where id = ${taskId} and lease_owner = ${owner}`),
      ).then(
        (r) => r.count === 0 && lost.abort(new Error('lease lost')),
        (err) => d.logger.warn({ err, taskId }, 'reading task lease renewal failed'),
      );
    },
    Math.max(200, d.options.leaseMs / 3),
  );
  try {
    for (let round = task.round; round <= task.rounds && !lost.signal.aborted; round++) {
      if (round > task.round) await pause(d.options.backoffMs * 2 ** (round - 1), lost.signal);
      await withTenant(d.db, tenantId, (tx) =>
        tx.execute(
          sql`update reading_tasks set round = ${round} where id = ${taskId} and lease_owner = ${owner}`,
        ),
      );
      const pending = await withTenant(d.db, tenantId, (tx) => pendingMeters(tx, taskId, round));
      if (pending.length === 0) break;
      await pass(d, tenantId, task, pending, task.kind, task.frozenFor, 'ok', lost.signal);
    }
    if (task.kind === 'realtime' && task.fallback && !lost.signal.aborted) {
      const failed = await withTenant(d.db, tenantId, (tx) => pendingMeters(tx, taskId, 32767));
      const readable = failed.filter((m) => m.via === 'serial' || m.via === 'concentrator');
      if (readable.length > 0) {
        const today = d.ingest.zone.dayOf(Date.now());
        await pass(d, tenantId, task, readable, 'daily', today, 'fallback_daily', lost.signal, false);
      }
    }
    if (lost.signal.aborted) return;
    await withTenant(d.db, tenantId, (tx) =>
      tx.execute(sql`update reading_tasks set status = 'done', finished_at = now(), lease_owner = null,
        lease_until = null where id = ${taskId} and lease_owner = ${owner}`),
    );
  } finally {
    clearInterval(renew);
    d.stopping?.removeEventListener('abort', onStop);
    // stopped mid-task: hand it back at once, so the next engine resumes it without waiting
    if (d.stopping?.aborted)
      await withTenant(d.db, tenantId, (tx) =>
        tx.execute(sql`update reading_tasks set lease_owner = null, lease_until = now() - interval '1 second'
          where id = ${taskId} and lease_owner = ${owner}`),
      ).catch((err) => d.logger.warn({ err, taskId }, 'could not hand a reading task back'));
  }
}

/** One pass over `pending`: settle what needs no read, answer push-only meters, read the lines. */
async function pass(
  d: RunnerDeps,
  tenantId: string,
  task: Claimed,
  pending: PendingMeter[],
  kind: TaskKind,
  frozenFor: string | null,
  okOutcome: 'ok' | 'fallback_daily',
  signal: AbortSignal,
  settle = true,
): Promise<void> {
  const zone = d.ingest.zone;
  const { plan, stored } = await withTenant(d.db, tenantId, async (tx) => {
    // frozen values have one key per date, so a stored one is never read again; a real-time
    // reading stored since the task started is taken only when resuming another runner's work
    const stored =
      okOutcome === 'ok' && (task.kind !== 'realtime' || task.resumed)
        ? await alreadyStored(
            tx,
            task,
            pending.filter((m) => m.via === 'serial' || m.via === 'concentrator').map((m) => m.meterId),
            zone,
          )
        : [];
    const done = new Set(stored.map((s) => s.meterId));
    const plan = planReads(
      pending.filter((m) => !done.has(m.meterId)),
      await pollTransports(tx, d.registry),
    );
    const pushed = await pushedReadings(
      tx,
      task,
      plan.push.map((m) => m.meterId),
      zone,
      d.options.pushWindowMs,
    );
    await recordOutcomes(tx, task.id, [...stored, ...pushed, ...(settle ? plan.settled : [])]);
    return { plan, stored };
  });
  d.logger.debug({ taskId: task.id, lines: plan.lines.length, stored: stored.length }, 'reading pass');
  await bounded(plan.lines, d.options.lineConcurrency, (batch) =>
    signal.aborted
      ? Promise.resolve()
      : d.lines.run(batch.line.id, () =>
          readLine(
            {
              db: d.db,
              registry: d.registry,
              ingest: d.ingest,
              tenantId,
              taskId: task.id,
              kind,
              frozenFor,
              signal,
              flushEvery: d.options.flushEvery,
              okOutcome,
              onFlush: (line, n) => d.onProgress?.(task.id, line, n),
              leases: d.leases,
            },
            batch,
          ),
        ),
  );
}
