import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { type BillRow, type LineRow, type PriceContext, priceAccount } from './price.ts';
import { timed } from './profile.ts';
import { cycleBegan, type MeterUsage, type RunScope, readChunk, usageBefore } from './reads.ts';
import type { PlanTariff } from './tariffs.ts';
import { addProgress, type RunRow, writeBills, writeFailures } from './write.ts';

/** Thrown inside a chunk's transaction when the run was cancelled: the chunk rolls back. */
export class RunStopped extends Error {}

export interface ChunkDeps {
  price: Omit<PriceContext, 'plans'>;
  plan: (tx: Tx, code: string) => Promise<PlanTariff | null>;
  by: string | null;
  /** milliseconds per phase, summed over chunks (benches) */
  profile?: Record<string, number>;
}

function byAccount(rows: MeterUsage[]): MeterUsage[][] {
  const out: MeterUsage[][] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last[0].accountId === r.accountId) last.push(r);
    else out.push([r]);
  }
  return out;
}

async function plansFor(tx: Tx, deps: ChunkDeps, rows: MeterUsage[]) {
  const codes = new Set<string>();
  for (const r of rows) {
    const code = r.meterKind ? r.tariffPlans?.[r.meterKind] : undefined;
    if (code) codes.add(code);
  }
  const plans = new Map<string, PlanTariff | null>();
  for (const code of codes) plans.set(code, await deps.plan(tx, code));
  return plans;
}

/** yearToDate for meters priced by yearly tiers: one read per distinct cycle start. */
async function yearToDate(
  tx: Tx,
  scope: RunScope,
  rows: MeterUsage[],
  plans: Map<string, PlanTariff | null>,
) {
  const bySince = new Map<string, MeterUsage[]>();
  for (const r of rows) {
    const plan = r.meterKind ? plans.get(r.tariffPlans?.[r.meterKind] ?? '') : undefined;
    if (!plan?.cycleStart || !r.meterId) continue;
    const since = cycleBegan(scope.from, plan.cycleStart);
    bySince.set(since, [...(bySince.get(since) ?? []), r]);
  }
  for (const [since, list] of bySince) {
    const used = await usageBefore(
      tx,
      list.map((r) => r.meterId as string),
      since,
      scope.from,
    );
    for (const r of list) r.yearToDate = used.get(r.meterId as string) ?? '0';
  }
}

/**
 * Bills one chunk of accounts inside one tenant transaction: one read, pricing in memory, one
 * write of bills, lines and the non-held bills' ledger charges (issueBills' business keys), failures
 * and progress. All or nothing: a crash loses the chunk, and the next run of it starts clean.
 */
export async function billChunk(tx: Tx, scope: RunScope, run: RunRow, ids: string[], deps: ChunkDeps) {
  // a chunk's statements carry thousands of ids: their cost estimates cross jit_above_cost, and
  // compiling them costs more than running them. The commit does not wait for its WAL to reach
  // disk: a chunk is atomic and the run resumable, so a server crash that loses the last chunks'
  // commits leaves their accounts pending for the resumed run, and finishRun's own (synchronous)
  // commit flushes every chunk before it — the WAL is one sequence.
  await tx.execute(sql`select set_config('jit', 'off', true), set_config('synchronous_commit', 'off', true)`);
  const rows = await timed(deps.profile, 'read', () => readChunk(tx, scope, ids));
  const plans = await plansFor(tx, deps, rows);
  await yearToDate(tx, scope, rows, plans);
  const ctx: PriceContext = { ...deps.price, plans };
  const bills: BillRow[] = [];
  const lines: LineRow[] = [];
  const failures: { accountId: string; reasons: string[] }[] = [];
  await timed(deps.profile, 'price', () => {
    for (const meters of byAccount(rows)) {
      const p = priceAccount(ctx, meters);
      if ('failure' in p) failures.push(p.failure);
      else {
        bills.push(p.bill);
        lines.push(...p.lines);
      }
    }
  });
  const written = new Set(
    await timed(deps.profile, 'write', () => writeBills(tx, run, deps.by, bills, lines)),
  );
  const issued = bills.filter((b) => b.status === 'issued' && written.has(b.id)).length;
  await writeFailures(tx, run.id, failures);
  const counts = {
    billed: written.size,
    held: written.size - issued,
    skipped: bills.length - written.size,
  };
  if (!(await addProgress(tx, run.id, counts))) throw new RunStopped();
  return { ...counts, failed: failures.length };
}
