import { readFile, rm, writeFile } from 'node:fs/promises';
import type { CustomField } from './custom-fields.ts';
import { type ParsedFile, reparseRows } from './engine.ts';
import type { EntityDef } from './entity.ts';
import { emptyReport } from './report.ts';

/**
 * A clean dry run leaves the cells of its rows beside the upload, so apply re-checks them against
 * the database without reading the workbook again (the cells are parsed again: plain string arrays
 * are far cheaper to store and load than the parsed values). Valid only while the custom fields
 * are unchanged.
 */
export const stagedPath = (filePath: string) => `${filePath}.rows.json`;

const fieldsKey = (fields: CustomField[]) =>
  JSON.stringify(fields.map((f) => [f.key, f.type, f.required, f.options, f.label]));

interface Staged {
  fields: string;
  total: number;
  headers: string[];
  ignoredColumns: string[];
  /** row number, then the cells */
  rows: [number, ...string[]][];
}

export async function writeStaged(filePath: string, fields: CustomField[], file: ParsedFile): Promise<void> {
  const { total, headers, ignoredColumns } = file.report;
  const rows = file.good.map((r) => [r.row, ...r.cells]);
  const body = JSON.stringify({ fields: fieldsKey(fields), total, headers, ignoredColumns, rows });
  await writeFile(stagedPath(filePath), body, { mode: 0o600 });
}

export async function readStaged(
  filePath: string,
  fields: CustomField[],
  entity: EntityDef,
): Promise<ParsedFile | undefined> {
  let text: string;
  try {
    text = await readFile(stagedPath(filePath), 'utf8');
  } catch {
    return undefined;
  }
  const staged = JSON.parse(text) as Staged;
  if (staged.fields !== fieldsKey(fields)) return undefined;
  const good = reparseRows(
    entity,
    fields,
    staged.headers,
    staged.rows.map(([row, ...cells]) => ({ row, cells })),
  );
  if (!good) return undefined;
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
