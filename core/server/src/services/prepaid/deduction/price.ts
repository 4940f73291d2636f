import { AppError } from '@quadmeter/sdk';
import type { quoteCache } from '../../billing/runs/price.ts';
import type { PlanTariff } from '../../billing/runs/tariffs.ts';
import type { Usage } from '../../billing/tariff/usage-schema.ts';
import { addDays, monthStart } from './days.ts';
import type { MeterDay } from './scan.ts';

/** One ledger posting of a deduction: amount_fen as posted (negative: a charge). */
export interface Posting {
  accountId: string;
  meterId: string;
  category: string;
  amountFen: number;
  key: string;
}

export interface PriceDay {
  day: string;
  plans: Map<string, PlanTariff | null>;
  quoteOf: ReturnType<typeof quoteCache>;
}

const category = (kind: string) => (kind === 'fixed' || kind === 'heat-base' ? 'fixed' : 'usage');

/** The business key of a deduction: per meter, day and category; later revisions of the day suffixed. */
export function deductionKey(meterId: string, day: string, cat: string, revision: number): string {
  return `deduct:${meterId}:${day}${cat === 'usage' ? '' : `:${cat}`}${revision ? `:r${revision}` : ''}`;
}

function priorOf(m: MeterDay): Map<string, { fen: number; onDay: number }> {
  const out = new Map<string, { fen: number; onDay: number }>();
  if (!m.prior) return out;
  for (const part of m.prior.split(',')) {
    const [cat, fen, n] = part.split('=');
    out.set(cat, { fen: Number(fen), onDay: Number(n) });
  }
  return out;
}

/**
 * A meter's deduction for the day, period to date: the quote of its usage from the month's first
 * day through the day, less what its deductions of the month already took, per category. Nothing
 * when a later day of the month was already deducted (that day's price covers this one). A
 * positive difference posts a charge, a negative one (usage corrected down) an adjustment back.
 * Throws `TARIFF_NOT_IN_FORCE` when the meter has no plan or the plan no version in force.
 */
export function priceMeterDay(ctx: PriceDay, m: MeterDay): Posting[] {
  if (m.lastDay && m.lastDay > ctx.day) return [];
  if (!m.plan) throw new AppError('TARIFF_NOT_IN_FORCE', `no-plan:${m.meterKind}`);
  const plan = ctx.plans.get(m.plan);
  if (!plan) throw new AppError('TARIFF_NOT_IN_FORCE', `no-tariff:${m.plan}`);
  const usage: Usage = {
    period: { from: monthStart(ctx.day), to: addDays(ctx.day, 1) },
    consumption: m.usage,
    lowIncome: m.lowIncome,
    ...(m.householdSize && { householdSize: Math.round(Number(m.householdSize)) }),
    ...(m.heatedArea && { heatedArea: m.heatedArea }),
    ...(plan.cycleStart && { yearToDate: m.yearToDate ?? '0' }),
  };
  const q = ctx.quoteOf(m.plan, plan, usage);
  const due = new Map<string, number>();
  for (const l of q.lines) due.set(category(l.kind), (due.get(category(l.kind)) ?? 0) + l.amountFen);
  const prior = priorOf(m);
  for (const cat of prior.keys()) if (!due.has(cat)) due.set(cat, 0);
  const out: Posting[] = [];
  for (const [cat, fen] of due) {
    const before = prior.get(cat);
    const diff = fen + (before?.fen ?? 0); // prior postings are negative
    if (diff === 0) continue;
    out.push({
      accountId: m.accountId,
      meterId: m.meterId,
      category: cat,
      amountFen: -diff,
      key: deductionKey(m.meterId, ctx.day, cat, before?.onDay ?? 0),
    });
  }
  return out;
}
