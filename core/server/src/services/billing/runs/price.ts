import { AppError } from '@quadmeter/sdk';
import { orderedUuid } from '../../../db/ordered-ids.ts';
import { type Quote, quote } from '../tariff/index.ts';
import type { Usage } from '../tariff/usage-schema.ts';
import type { BoundReading, MeterUsage } from './reads.ts';
import type { PlanTariff } from './tariffs.ts';

export interface HoldRules {
  holdEstimated: boolean;
  holdMissing: boolean;
  holdAboveFen: number | null;
}

export interface LineRow {
  bill_id: string;
  line_no: number;
  meter_id: string;
  category: string;
  component: string;
  label: string;
  tier: number | null;
  band: string | null;
  quantity: string;
  unit: string | null;
  price: string;
  amount_fen: number;
  tariff_version_id: string | null;
  segment_from: string;
  segment_to: string;
  explain: Record<string, unknown>;
}

export interface BillRow {
  id: string;
  account_id: string;
  area_id: string;
  status: 'held' | 'issued';
  hold_reasons: string[];
  total_fen: number;
}

export type Priced =
  | { bill: BillRow; lines: LineRow[] }
  | { failure: { accountId: string; reasons: string[] } };

const ESTIMATED = 5;
const SOURCES: Record<number, string> = {
  1: 'meter',
  2: 'daily-freeze',
  3: 'monthly-freeze',
  4: 'manual',
  5: 'estimate',
};

const category = (kind: string) => (kind === 'fixed' || kind === 'heat-base' ? 'fixed' : 'usage');

const explainReading = (r: BoundReading | null) =>
  r && { ts: r.ts, value: r.value, kind: r.kind, source: SOURCES[r.kind] ?? 'unknown' };

/** Quotes repeat (same plan, usage and facts): memoised per run, bounded. */
export function quoteCache(limit = 100_000) {
  const cache = new Map<string, Quote>();
  return (code: string, plan: PlanTariff, usage: Usage): Quote => {
    const key = `${code}|${usage.consumption}|${usage.householdSize ?? ''}|${usage.heatedArea ?? ''}|${usage.lowIncome}|${usage.yearToDate ?? ''}`;
    let q = cache.get(key);
    if (!q) {
      q = quote(plan.tariff, usage);
      if (cache.size >= limit) cache.clear();
      cache.set(key, q);
    }
    return q;
  };
}

export interface PriceContext {
  from: string;
  to: string;
  rules: HoldRules;
  plans: Map<string, PlanTariff | null>;
  quoteOf: ReturnType<typeof quoteCache>;
}

function meterLines(ctx: PriceContext, billId: string, m: MeterUsage, start: number) {
  const code = m.tariffPlans?.[m.meterKind ?? ''];
  if (!code) throw new AppError('TARIFF_NOT_IN_FORCE', `no-plan:${m.meterKind}`);
  const plan = ctx.plans.get(code);
  if (!plan) throw new AppError('TARIFF_NOT_IN_FORCE', `no-tariff:${code}`);
  const usage: Usage = {
    period: { from: ctx.from, to: ctx.to },
    consumption: m.usage ?? '0',
    lowIncome: m.lowIncome,
    ...(m.householdSize && { householdSize: Math.round(Number(m.householdSize)) }),
    ...(m.heatedArea && { heatedArea: m.heatedArea }),
    ...(m.yearToDate !== undefined && { yearToDate: m.yearToDate }),
  };
  const q = ctx.quoteOf(code, plan, usage);
  const readings = [explainReading(m.start), explainReading(m.end)].filter((r) => r !== null);
  const lines: LineRow[] = q.lines.map((l, i) => ({
    bill_id: billId,
    line_no: start + i,
    meter_id: m.meterId as string,
    category: category(l.kind),
    component: l.component,
    label: l.label['zh-CN'],
    tier: l.tier ?? null,
    band: l.band ?? null,
    quantity: l.quantity,
    unit: l.unit ?? null,
    price: l.price,
    amount_fen: l.amountFen,
    tariff_version_id: plan.versionIds.get(l.tariffVersion) ?? null,
    segment_from: l.from,
    segment_to: l.to,
    // what the columns do not hold: the readings the usage came from and the usage priced (tier,
    // band, price are columns; plan code and version number join from tariff_version_id)
    explain: { readings, usage: usage.consumption },
  }));
  return { lines, totalFen: q.totalFen };
}

/** One account's meters → a bill and its lines, or the reasons it cannot be billed. */
export function priceAccount(ctx: PriceContext, meters: MeterUsage[]): Priced {
  const first = meters[0];
  const accountId = first.accountId;
  if (!first.meterId) return { failure: { accountId, reasons: ['no-meter'] } };
  // time-ordered: the run's bills, lines and charges go in at the right edge of their id indexes
  const id = orderedUuid();
  const lines: LineRow[] = [];
  const reasons = new Set<string>();
  const failures: string[] = [];
  let total = 0;
  for (const m of meters) {
    if (m.usage === null) reasons.add('missing');
    if (m.start?.kind === ESTIMATED || m.end?.kind === ESTIMATED) reasons.add('estimated');
    try {
      const r = meterLines(ctx, id, m, lines.length + 1);
      lines.push(...r.lines);
      total += r.totalFen;
    } catch (e) {
      failures.push(
        e instanceof AppError
          ? e.message.startsWith('no-')
            ? e.message
            : `${e.code}: ${e.message}`
          : String(e),
      );
    }
  }
  if (failures.length) return { failure: { accountId, reasons: failures } };
  const hold = [...reasons].filter((r) =>
    r === 'missing' ? ctx.rules.holdMissing : ctx.rules.holdEstimated,
  );
  if (ctx.rules.holdAboveFen !== null && total > ctx.rules.holdAboveFen) hold.push('above-limit');
  return {
    bill: {
      id,
      account_id: accountId,
      area_id: first.areaId,
      status: hold.length ? 'held' : 'issued',
      hold_reasons: hold,
      total_fen: total,
    },
    lines,
  };
}
