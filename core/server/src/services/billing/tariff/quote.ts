import { AppError } from '@quadmeter/sdk';
import type { ZodError } from 'zod';
import { fixedLines, heatLines, monthsIn } from './charge-fixed.ts';
import { usageLines } from './charge-usage.ts';
import { dateOf } from './dates.ts';
import { D, sum, text, ZERO } from './decimal.ts';
import type { ExactLine, Label, LineKind } from './line.ts';
import { roundLines } from './rounding.ts';
import { type Tariff, type TariffVersion, tariffSchema } from './schema.ts';
import type { Band } from './schema-parts.ts';
import { type Segment, segment, yearToDate } from './segments.ts';
import { type Usage, usageSchema } from './usage-schema.ts';

export interface QuoteLine {
  component: string;
  label: Label;
  kind: LineKind;
  tier?: number;
  band?: Band;
  /** decimal text, at most 6 places shown */
  quantity: string;
  unit?: string;
  /** yuan per unit, decimal text */
  price: string;
  /** quantity × price in yuan before rounding (at most 10 places shown) */
  amount: string;
  amountFen: number;
  tariffVersion: string;
  from: string;
  to: string;
}

export interface Quote {
  tariff: string;
  period: { from: string; to: string };
  segments: { from: string; to: string; days: number; tariffVersion: string; consumption: string }[];
  lines: QuoteLine[];
  totalFen: number;
}

const issues = (e: ZodError) =>
  e.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));

/** The tariff JSON checked against format 1, or TARIFF_INVALID with each problem's path. */
export function parseTariff(json: unknown): Tariff {
  const r = tariffSchema.safeParse(json);
  if (!r.success) throw new AppError('TARIFF_INVALID', undefined, issues(r.error));
  return r.data;
}

export function parseUsage(json: unknown): Usage {
  const r = usageSchema.safeParse(json);
  if (!r.success) throw new AppError('TARIFF_USAGE_INVALID', undefined, issues(r.error));
  return r.data;
}

function segmentLines(
  segments: Segment[],
  i: number,
  u: Usage,
  ytdCache = new Map<string, D>(),
): ExactLine[] {
  const s = segments[i];
  const lines: ExactLine[] = [];
  for (const c of s.version.components) {
    if (c.type === 'fixed') lines.push(...fixedLines(c, s, u));
    else if (c.type === 'heat-two-part') lines.push(...heatLines(c, s, u));
    else {
      const yearly = c.tiers?.cycle === 'year' || c.freeAllowance?.per === 'year';
      const cycleStart = c.tiers?.cycle === 'year' ? (c.tiers.cycleStart ?? '01-01') : '01-01';
      let ytd = ZERO;
      if (yearly) {
        ytd = ytdCache.get(cycleStart) ?? yearToDate(segments, i, u, cycleStart);
        ytdCache.set(cycleStart, ytd);
      }
      lines.push(...usageLines(c, { segment: s, usage: u, ytd }));
    }
  }
  const m = s.version.minimumCharge;
  if (m) {
    const floor = new D(m.amount).times(m.per === 'month' ? monthsIn(s.from, s.to) : s.share);
    const charged = sum(lines.map((l) => l.amount));
    if (charged.lessThan(floor))
      lines.push({
        component: 'minimum',
        label: m.label ?? { 'zh-CN': '最低消费补足', en: 'Minimum charge top-up' },
        kind: 'minimum',
        quantity: new D(1),
        price: floor.minus(charged),
        amount: floor.minus(charged),
        version: s.version.version,
        from: s.from,
        to: s.to,
      });
  }
  return lines;
}

const shown = (d: D, places: number) => text(d.toDecimalPlaces(places));

/**
 * Prices one meter's usage under a tariff: the period is cut where the version, a yearly tier
 * cycle or a TOU season changes (分段计费), each segment priced by its own version, each line
 * rounded once by the tariff's rule. The lines add up to totalFen.
 */
export function quote(tariff: Tariff, usage: Usage): Quote {
  const segments = segment(tariff, usage);
  const exact = segments.flatMap((_, i) => segmentLines(segments, i, usage));
  const fen = roundLines(
    exact.map((l) => l.amount),
    tariff.rounding,
  );
  const totalFen = fen.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(totalFen)) throw new AppError('TARIFF_AMOUNT_TOO_LARGE');
  return {
    tariff: tariff.code,
    period: usage.period,
    segments: segments.map((s) => ({
      from: dateOf(s.from),
      to: dateOf(s.to),
      days: s.days,
      tariffVersion: s.version.version,
      consumption: text(s.consumption),
    })),
    lines: exact.map((l, i) => ({
      component: l.component,
      label: l.label,
      kind: l.kind,
      ...(l.tier !== undefined && { tier: l.tier }),
      ...(l.band !== undefined && { band: l.band }),
      quantity: shown(l.quantity, 6),
      ...(l.unit !== undefined && { unit: l.unit }),
      price: shown(l.price, 10),
      amount: shown(l.amount, 10),
      amountFen: fen[i],
      tariffVersion: l.version,
      from: dateOf(l.from),
      to: dateOf(l.to),
    })),
    totalFen,
  };
}

/** Exact (unrounded) lines, for tests and explanations. */
export function exactLines(tariff: Tariff, usage: Usage): ExactLine[] {
  const segments = segment(tariff, usage);
  return segments.flatMap((_, i) => segmentLines(segments, i, usage));
}

/** parse + quote for raw JSON (the CLI and the HTTP route). */
export function quoteJson(tariff: unknown, usage: unknown): Quote {
  return quote(parseTariff(tariff), parseUsage(usage));
}

export type { TariffVersion };
