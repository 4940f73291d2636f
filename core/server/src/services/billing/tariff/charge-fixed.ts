import { AppError } from '@quadmeter/sdk';
import { monthPieces, seasonOverlaps } from './dates.ts';
import { D, ZERO } from './decimal.ts';
import type { ExactLine } from './line.ts';
import type { Component } from './schema.ts';
import type { Segment } from './segments.ts';
import type { Usage } from './usage-schema.ts';

type Fixed = Extract<Component, { type: 'fixed' }>;
type Heat = Extract<Component, { type: 'heat-two-part' }>;

export function heatedArea(u: Usage, component: string): D {
  if (u.heatedArea === undefined)
    throw new AppError('TARIFF_USAGE_INVALID', `component ${component} is charged per m²: give heatedArea`, [
      { path: 'heatedArea', message: 'required by the tariff' },
    ]);
  return new D(u.heatedArea);
}

/** Months covered by [from, to): whole calendar months count 1, part of a month its share of days. */
export const monthsIn = (from: number, to: number): D =>
  monthPieces(from, to).reduce((a, p) => a.plus(new D(p.days).dividedBy(p.ofMonth)), ZERO);

/** Share of heating seasons covered by [from, to) (1 for a whole season). */
export const seasonShare = (from: number, to: number, season: { from: string; to: string }): D =>
  seasonOverlaps(from, to, season.from, season.to).reduce(
    (a, o) => a.plus(new D(o.days).dividedBy(o.seasonDays)),
    ZERO,
  );

/** How many times a fixed charge applies to the segment. */
function timesIn(f: Fixed, s: Segment): D {
  switch (f.per) {
    case 'day':
      return new D(s.days);
    case 'month':
      return monthsIn(s.from, s.to);
    case 'season':
      return seasonShare(s.from, s.to, f.season!);
    default:
      return s.share;
  }
}

export function fixedLines(f: Fixed, s: Segment, u: Usage): ExactLine[] {
  const times = timesIn(f, s);
  const quantity = f.basis === 'area' ? heatedArea(u, f.id).times(times) : times;
  const price = new D(f.amount);
  return [
    {
      component: f.id,
      label: f.label,
      kind: 'fixed',
      quantity,
      unit: f.basis === 'area' ? 'm²' : undefined,
      price,
      amount: quantity.times(price),
      version: s.version.version,
      from: s.from,
      to: s.to,
    },
  ];
}

/**
 * Two-part heat: area × base price × share of the season, plus energy × energy price; with
 * trueUp "lower-of" a negative line brings a total above the area-based amount for the same
 * share of the season down to it (就低不就高).
 */
export function heatLines(h: Heat, s: Segment, u: Usage): ExactLine[] {
  const area = heatedArea(u, h.id).times(seasonShare(s.from, s.to, h.season));
  const at = { component: h.id, version: s.version.version, from: s.from, to: s.to };
  const base = new D(h.basePrice);
  const energy = new D(h.energyPrice);
  const lines: ExactLine[] = [
    {
      ...at,
      label: { 'zh-CN': `${h.label['zh-CN']} 基本热价`, en: `${h.label.en} base` },
      kind: 'heat-base',
      quantity: area,
      unit: 'm²',
      price: base,
      amount: area.times(base),
    },
    {
      ...at,
      label: { 'zh-CN': `${h.label['zh-CN']} 计量热价`, en: `${h.label.en} energy` },
      kind: 'heat-energy',
      quantity: s.consumption,
      unit: h.unit,
      price: energy,
      amount: s.consumption.times(energy),
    },
  ];
  const cap = area.times(h.areaPrice);
  const twoPart = lines[0].amount.plus(lines[1].amount);
  if (h.trueUp === 'lower-of' && twoPart.greaterThan(cap)) {
    const over = cap.minus(twoPart);
    lines.push({
      ...at,
      label: {
        'zh-CN': `${h.label['zh-CN']} 就低不就高（按面积计费封顶）`,
        en: `${h.label.en} capped at the area-based charge`,
      },
      kind: 'true-up',
      quantity: new D(1),
      price: over,
      amount: over,
    });
  }
  return lines;
}
