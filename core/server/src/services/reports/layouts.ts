import { readFileSync } from 'node:fs';
import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { isoOf } from '../payments/scope-sql.ts';
import type { Orientation } from './render.ts';
import type { ReportDataset } from './types.ts';

const ROOT = new URL('../../../../../templates/reports/', import.meta.url);
const cache = new Map<string, string>();

/** The shipped default: `templates/reports/<id>.hbs`, else the generic `table.hbs`. */
export function defaultLayout(id: string): string {
  let s = cache.get(id);
  if (s === undefined) {
    try {
      s = readFileSync(new URL(`${id}.hbs`, ROOT), 'utf8');
    } catch {
      s = readFileSync(new URL('table.hbs', ROOT), 'utf8');
    }
    cache.set(id, s);
  }
  return s;
}

export interface LayoutVersion extends Record<string, unknown> {
  id: string;
  version: number;
  orientation: Orientation;
  note: string;
  createdByName: string;
  createdAt: string;
}

const COLUMNS = sql`id, version, orientation, note, created_by_name as "createdByName",
  ${isoOf('created_at')} as "createdAt"`;

export async function listLayouts(tx: Tx, report: string): Promise<LayoutVersion[]> {
  return [
    ...(await tx.execute<LayoutVersion>(sql`select ${COLUMNS} from report_layout_versions
      where report = ${report} order by version desc limit 200`)),
  ];
}

export interface Layout {
  source: string;
  orientation: Orientation;
  version: number | null;
}

/** The layout in force (the newest version) or a named version; the shipped default when none. */
export async function layoutOf(tx: Tx, ds: ReportDataset, version?: number): Promise<Layout> {
  const [row] = await tx.execute<{ source: string; orientation: Orientation; version: number }>(sql`
    select source, orientation, version from report_layout_versions where report = ${ds.id}
      ${version === undefined ? sql`` : sql`and version = ${version}`}
    order by version desc limit 1`);
  if (row) return row;
  if (version !== undefined) throw new AppError('REPORT_UNKNOWN', undefined, { report: ds.id, version });
  return { source: defaultLayout(ds.id), orientation: ds.orientation, version: null };
}

/** Stores a new version numbered after the last (one writer at a time per report). */
export async function addLayout(
  tx: Tx,
  tenantId: string,
  report: string,
  v: { source: string; orientation: Orientation; note: string },
  by: string,
): Promise<LayoutVersion> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`report-layout:${tenantId}:${report}`}))`);
  const [row] = await tx.execute<LayoutVersion>(sql`
    insert into report_layout_versions (tenant_id, report, version, source, orientation, note, created_by_name)
    values (${tenantId}, ${report},
      (select coalesce(max(version), 0) + 1 from report_layout_versions where report = ${report}),
      ${v.source}, ${v.orientation}, ${v.note}, ${by})
    returning ${COLUMNS}`);
  if (!row) throw new Error('layout insert returned nothing');
  return row;
}
