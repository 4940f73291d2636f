import Handlebars from 'handlebars';
import { documentHelpers } from '../documents/helpers.ts';
import type { Helper } from '../templating/sandbox.ts';
import { CHART_KINDS, type ChartKind, chartPoints, renderChart } from './chart.ts';
import type { ReportColumn } from './types.ts';

/** What the helpers read from the render's private data. */
interface Data {
  lang?: 'zh-CN' | 'en';
  budget?: { left: number };
}
type Rows = readonly Record<string, unknown>[];

function dataOf(args: unknown[]): Data {
  return ((args[args.length - 1] as { data?: Data } | undefined)?.data ?? {}) as Data;
}

/** Charges `n` iterations to the render's budget; a layout that loops past it is refused. */
function spend(args: unknown[], n: number): void {
  const b = dataOf(args).budget;
  if (!b) return;
  b.left -= n;
  if (b.left < 0) throw new Error('the layout iterates too much (nested loops over the rows?)');
}

function rowsOf(v: unknown): Rows {
  return Array.isArray(v) ? (v as Rows) : [];
}

function fmt(v: unknown, lang: string, decimals: number): string {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) return '';
  return new Intl.NumberFormat(lang, {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(n);
}

function dec(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 6 ? v : fallback;
}

/** A value formatted by its column's type (money in yuan from fen, percent from a fraction). */
export function formatCell(v: unknown, c: Pick<ReportColumn, 'type' | 'decimals'>, lang: string): string {
  if (v === null || v === undefined) return '';
  if (c.type === 'money') return fmt(Number(v) / 100, lang, 2);
  if (c.type === 'percent') return v === '' ? '' : `${fmt(Number(v) * 100, lang, 2)}%`;
  if (c.type === 'number') return fmt(v, lang, c.decimals ?? 2);
  return String(v);
}

const baseEach = Handlebars.helpers.each as unknown as Helper;

/**
 * The helpers report layouts may call, on top of the document helpers (yuan, rmb, date, datetime,
 * pad, eq). All take data, none takes code, none reads a file or the network:
 * `{{#each (groupBy rows "area")}}{{key}} {{count}} {{sum rows "usage"}}{{/each}}`,
 * `{{num v 2}}`, `{{money fen}}`, `{{pct fraction}}`, `{{cell row column}}`,
 * `{{chart "bar" rows "area" "usage"}}` (a trusted SVG made by ECharts from the data).
 * `each` is the built-in one charged to an iteration budget, so nested loops cannot run away.
 */
export const reportHelpers: Readonly<Record<string, Helper>> = Object.freeze({
  ...documentHelpers,
  each: function (this: unknown, ...args: unknown[]) {
    const ctx = args[0];
    spend(
      args,
      Array.isArray(ctx) ? ctx.length : ctx && typeof ctx === 'object' ? Object.keys(ctx).length : 0,
    );
    return baseEach.apply(this, args);
  },
  groupBy: (...args: unknown[]) => {
    const rows = rowsOf(args[0]);
    const key = typeof args[1] === 'string' ? args[1] : '';
    spend(args, rows.length);
    const groups = new Map<string, Record<string, unknown>[]>();
    for (const r of rows) {
      const k = String(r[key] ?? '');
      const g = groups.get(k);
      if (g) g.push(r);
      else groups.set(k, [r]);
    }
    return [...groups].map(([k, rs]) => ({ key: k, rows: rs, count: rs.length }));
  },
  sum: (...args: unknown[]) => {
    const rows = rowsOf(args[0]);
    const key = typeof args[1] === 'string' ? args[1] : '';
    spend(args, rows.length);
    let s = 0;
    for (const r of rows) {
      const v = Number(r[key]);
      if (Number.isFinite(v)) s += v;
    }
    return Math.round(s * 1e6) / 1e6;
  },
  count: (v: unknown) => rowsOf(v).length,
  num: (...args: unknown[]) => fmt(args[0], dataOf(args).lang ?? 'zh-CN', dec(args[1], 2)),
  money: (...args: unknown[]) => fmt(Number(args[0]) / 100, dataOf(args).lang ?? 'zh-CN', 2),
  pct: (...args: unknown[]) => formatCell(args[0], { type: 'percent' }, dataOf(args).lang ?? 'zh-CN'),
  cell: (...args: unknown[]) => {
    const row = args[0] as Record<string, unknown> | null;
    const c = args[1] as ReportColumn | null;
    if (!row || typeof row !== 'object' || !c || typeof c !== 'object' || typeof c.key !== 'string')
      return '';
    if (!Object.hasOwn(row, c.key)) return '';
    return formatCell(row[c.key], c, dataOf(args).lang ?? 'zh-CN');
  },
  sumCell: (...args: unknown[]) => {
    const rows = rowsOf(args[0]);
    const c = args[1] as ReportColumn | null;
    if (!c || typeof c !== 'object' || typeof c.key !== 'string') return '';
    spend(args, rows.length);
    let s = 0;
    for (const r of rows) {
      const v = Number(r[c.key]);
      if (Number.isFinite(v)) s += v;
    }
    return formatCell(Math.round(s * 1e6) / 1e6, c, dataOf(args).lang ?? 'zh-CN');
  },
  chart: (...args: unknown[]) => {
    const [kind, rows, labelKey, valueKey] = args;
    if (typeof kind !== 'string' || !CHART_KINDS.includes(kind as ChartKind))
      throw new Error(`chart kind must be one of ${CHART_KINDS.join(', ')}`);
    if (typeof labelKey !== 'string' || typeof valueKey !== 'string')
      throw new Error('chart needs a label column and a value column');
    const rs = rowsOf(rows);
    spend(args, rs.length + 10_000);
    return new Handlebars.SafeString(renderChart(kind as ChartKind, chartPoints(rs, labelKey, valueKey)));
  },
});
