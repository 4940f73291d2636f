import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client.ts';
import { withTenant } from '../../../db/tenant.ts';
import { quoteCache } from '../../billing/runs/price.ts';
import { cycleBegan } from '../../billing/runs/reads.ts';
import { type PlanTariff, planCache } from '../../billing/runs/tariffs.ts';
import { addDays, monthStart } from './days.ts';
import { type Posting, priceMeterDay } from './price.ts';
import { type MeterDay, scanMeterDays, usageSince } from './scan.ts';
import { writePostings } from './write.ts';

export interface DeductOptions {
  /** meters per batch: one cursor fetch, one pricing pass, one insert statement */
  batch?: number;
  /** batches being written at once (each its own transaction) */
  parallel?: number;
  /** called after each committed batch (tests, benches) */
  onBatch?: (meters: number, posted: number) => void;
  /** per phase wall times (ms), filled when given; scanFirst: until the scan's first batch */
  timing?: Record<string, number>;
}

/** Thrown when the run row stopped running under a batch: the batch rolls back. */
export class DeductionStopped extends Error {}

export interface DeductResult {
  meters: number;
  failed: number;
  posted: number;
  fen: number;
}

async function plansFor(tx: Tx, plan: ReturnType<typeof planCache>, rows: MeterDay[]) {
  const plans = new Map<string, PlanTariff | null>();
  for (const r of rows) if (r.plan && !plans.has(r.plan)) plans.set(r.plan, await plan(tx, r.plan));
  return plans;
}

/** yearToDate for meters on yearly-tier plans: one read per distinct cycle start. */
async function yearToDate(tx: Tx, day: string, rows: MeterDay[], plans: Map<string, PlanTariff | null>) {
  const month = monthStart(day);
  const bySince = new Map<string, MeterDay[]>();
  for (const r of rows) {
    const cycle = r.plan ? plans.get(r.plan)?.cycleStart : null;
    if (!cycle) continue;
    const since = cycleBegan(month, cycle);
    bySince.set(since, [...(bySince.get(since) ?? []), r]);
  }
  for (const [since, list] of bySince) {
    const used = await usageSince(
      tx,
      list.map((r) => r.meterId),
      since,
      month,
    );
    for (const r of list) r.yearToDate = used.get(r.meterId) ?? '0';
  }
}

/**
 * The deduction of one day, period to date, for every prepaid meter (or only `meters`): one
 * cursor over the set-based scan, each batch priced in memory (quotes memoised by plan, usage and
 * facts) and posted in one statement in its own transaction, `parallel` batches in flight. Safe to
 * repeat and to run twice at once: what was posted is subtracted, and the keys are unique.
 */
export async function deductDay(
  db: Db,
  tenantId: string,
  day: string,
  o: DeductOptions & { runId?: string | null; by?: string | null; meters?: string[] | null } = {},
): Promise<DeductResult> {
  const plan = planCache(monthStart(day), addDays(day, 1));
  const quoteOf = quoteCache();
  const total: DeductResult = { meters: 0, failed: 0, posted: 0, fen: 0 };
  const t = o.timing;
  const tick = (phase: string, since: number) => {
    if (t) t[phase] = (t[phase] ?? 0) + performance.now() - since;
  };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  // a batch is priced and posted in a transaction of its own: the scan's connection is busy with
  // the cursor, so nothing else may be asked of it until the scan ends
  const batch = (rows: MeterDay[]) => {
    const p = (async () => {
      const r = await withTenant(db, tenantId, async (tx) => {
        await tx.execute(sql`set local jit = off`);
        await tx.execute(sql`set local work_mem = '64MB'`);
        const p0 = performance.now();
        const plans = await plansFor(tx, plan, rows);
        await yearToDate(tx, day, rows, plans);
        const postings: Posting[] = [];
        let failed = 0;
        for (const r of rows) {
          try {
            postings.push(...priceMeterDay({ day, plans, quoteOf }, r));
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
            failed++;
          }
        }
        tick('price', p0);
        const w0 = performance.now();
        const meters = rows.length;
        const r = await writePostings(tx, o.runId ?? null, day, o.by ?? null, postings, { meters, failed });
        if (o.runId && !r.running) throw new DeductionStopped();
        tick('write', w0);
        return { ...r, failed };
      });
      total.meters += rows.length;
      total.failed += r.failed;
      total.posted += r.posted;
      total.fen += r.fen;
      o.onBatch?.(rows.length, r.posted);
    })()
      .catch((e) => {
        failure ??= e;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  await withTenant(db, tenantId, async (tx) => {
    let s0 = performance.now();
    await scanMeterDays(tx, day, o.meters ?? null, o.batch ?? 25_000, async (rows) => {
      if (t && t.scanFirst === undefined) t.scanFirst = performance.now() - s0;
      tick('scan', s0);
      while (inFlight.size >= (o.parallel ?? 2)) await Promise.race(inFlight);
      if (failure) throw failure;
      batch(rows);
      s0 = performance.now();
    });
  });
  await Promise.all(inFlight);
  if (failure) throw failure;
  return total;
}
