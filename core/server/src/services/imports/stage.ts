import { readFile, rm, writeFile } from 'node:fs/promises';
import type { CustomField } from './custom-fields.ts';
import type { ParsedFile } from './engine.ts';
import type { ParsedRow } from './entity.ts';
import { emptyReport } from './report.ts';

/**
 * A clean dry run leaves its parsed rows beside the upload, so apply re-checks them against the
 * database without reading the workbook again. Valid only while the custom fields are unchanged.
 */
export const stagedPath = (filePath: string) => `${filePath}.rows.json`;

const fieldsKey = (fields: CustomField[]) =>
  JSON.stringify(fields.map((f) => [f.key, f.type, f.required, f.options, f.label]));

type StagedRow = { row: number; cells: string[]; values: [string, unknown][]; custom: [string, unknown][] };

export async function writeStaged(filePath: string, fields: CustomField[], file: ParsedFile): Promise<void> {
  const { total, headers, ignoredColumns } = file.report;
  const rows: StagedRow[] = file.good.map((r) => ({
    row: r.row,
    cells: r.cells,
    values: [...r.values],
    custom: [...r.custom],
  }));
  const body = JSON.stringify({ fields: fieldsKey(fields), total, headers, ignoredColumns, rows });
  await writeFile(stagedPath(filePath), body, { mode: 0o600 });
}

export async function readStaged(filePath: string, fields: CustomField[]): Promise<ParsedFile | undefined> {
  let text: string;
  try {
    text = await readFile(stagedPath(filePath), 'utf8');
  } catch {
    return undefined;
  }
  const staged = JSON.parse(text) as {
    fields: string;
    total: number;
    headers: string[];
    ignoredColumns: string[];
    rows: StagedRow[];
  };
  if (staged.fields !== fieldsKey(fields)) return undefined;
  const good: ParsedRow[] = staged.rows.map((r) => ({
    row: r.row,
    cells: r.cells,
    values: new Map(r.values),
    custom: new Map(r.custom),
  }));
  const report = {
    ...emptyReport(),
    total: staged.total,
    headers: staged.headers,
    ignoredColumns: staged.ignoredColumns,
  };
  return { report, good };
}

export async function removeStaged(filePath: string): Promise<void> {
  await rm(stagedPath(filePath), { force: true });
}
