import type { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import type { Actor } from '../identity/actor.ts';

export type Lang = 'zh-CN' | 'en';
export type ColumnType = 'text' | 'number' | 'money' | 'percent' | 'date';

/** One output column: `money` values are integer fen, `percent` a 0–1 fraction. */
export interface ReportColumn {
  key: string;
  type: ColumnType;
  label: { 'zh-CN': string; en: string };
  /** summed in subtotals and the grand total */
  sum?: boolean;
  /** decimal places for `number` */
  decimals?: number;
}

export type Row = Record<string, string | number | null>;

/** Resolved, validated parameters plus the SQL scope pieces every dataset applies. */
export interface QueryContext {
  tx: Tx;
  actor: Actor;
  timeZone: string;
}

/**
 * A dataset of the catalogue: a parameterised, area-scoped query written by the platform (users
 * never write SQL). `params` is a zod object; `query` must apply `scopeSql` (the actor's area
 * scope and the optional area filter) to every row it answers.
 */
export interface ReportDataset<P extends z.ZodObject = z.ZodObject> {
  id: string;
  title: { 'zh-CN': string; en: string };
  params: P;
  columns: readonly ReportColumn[];
  /** the column rows are grouped by in the default layout and in Excel (with subtotals) */
  groupBy: string | null;
  /** default paper orientation */
  orientation: 'portrait' | 'landscape';
  query(ctx: QueryContext, params: z.infer<P>): Promise<Row[]>;
}

export function col(
  key: string,
  type: ColumnType,
  zh: string,
  en: string,
  extra: Partial<Pick<ReportColumn, 'sum' | 'decimals'>> = {},
): ReportColumn {
  return { key, type, label: { 'zh-CN': zh, en }, ...extra };
}

/** Identity helper: infers the params type for `query`, answers the catalogue's common type. */
export function defineDataset<P extends z.ZodObject>(d: ReportDataset<P>): ReportDataset {
  return d as unknown as ReportDataset;
}
