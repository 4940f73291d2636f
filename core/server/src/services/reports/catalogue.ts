import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { builtinDatasets } from './datasets/index.ts';
import type { Lang, QueryContext, ReportDataset, Row } from './types.ts';

const byId = new Map(builtinDatasets.map((d) => [d.id, d]));

export function datasets(): readonly ReportDataset[] {
  return builtinDatasets;
}

export function datasetOf(id: string): ReportDataset {
  const d = byId.get(id);
  if (!d) throw new AppError('REPORT_UNKNOWN', undefined, { report: id });
  return d;
}

/** The params as typed by the dataset's schema; REQ_VALIDATION listing the offending fields. */
export function parseParams(ds: ReportDataset, raw: unknown): Record<string, unknown> {
  const r = ds.params.strict().safeParse(raw ?? {});
  if (!r.success)
    throw new AppError(
      'REQ_VALIDATION',
      undefined,
      r.error.issues.map((i) => ({ path: ['params', ...i.path].join('.'), message: i.message })),
    );
  return r.data as Record<string, unknown>;
}

/** Numbers as numbers: numeric/bigint text from the driver becomes a JS number per column type. */
function shape(ds: ReportDataset, rows: Row[]): Row[] {
  const numeric = ds.columns.filter((c) => c.type !== 'text' && c.type !== 'date').map((c) => c.key);
  for (const r of rows)
    for (const k of numeric) {
      const v = r[k];
      if (typeof v === 'string') r[k] = Number(v);
    }
  return rows;
}

/**
 * Runs a dataset's query. Report queries scan whole estates; under row-level security the planner
 * cannot see the tenant (`app_tenant_id()` is a run-time setting), guesses a handful of rows and
 * picks nested loops that turn quadratic at 100 000 meters. Hash and merge joins are what these
 * queries need, so nested loops are discouraged for the query alone (a LATERAL join still runs).
 */
export async function runDataset(ctx: QueryContext, ds: ReportDataset, params: Record<string, unknown>) {
  await ctx.tx.execute(sql`select set_config('enable_nestloop', 'off', true)`);
  try {
    return shape(ds, await ds.query(ctx, params as never));
  } finally {
    // (in a transaction a failed statement aborted, this fails too; the first error is the one to see)
    await ctx.tx.execute(sql`select set_config('enable_nestloop', 'on', true)`).catch(() => undefined);
  }
}

/** The catalogue entry a client needs: params (JSON Schema), columns, default orientation. */
export function describe(ds: ReportDataset, lang: Lang) {
  return {
    id: ds.id,
    title: ds.title[lang],
    titles: ds.title,
    params: z.toJSONSchema(ds.params) as Record<string, unknown>,
    columns: ds.columns.map((c) => ({ key: c.key, type: c.type, label: c.label[lang], labels: c.label })),
    groupBy: ds.groupBy,
    orientation: ds.orientation,
  };
}

/** Subtotals per consecutive group and the grand total of every summed column. */
export function totals(ds: ReportDataset, rows: readonly Row[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of ds.columns)
    if (c.sum) out[c.key] = Math.round(rows.reduce((s, r) => s + (Number(r[c.key]) || 0), 0) * 1e6) / 1e6;
  return out;
}
