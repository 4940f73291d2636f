import { AppError } from '@quadmeter/sdk';
import type { Tx } from '../../db/client.ts';
import { storable } from './cells.ts';
import { type CustomField, customLabel, parseCustom } from './custom-fields.ts';
import type { CheckContext, ColumnDef, EntityDef, ParsedRow, RowError } from './entity.ts';
import { type FileKind, readRows } from './read-file.ts';
import { type ErrorRow, emptyReport, type ImportReport, MAX_ERROR_ROWS } from './report.ts';

export const MAX_IMPORT_ROWS = 200_000;

type Slot = { kind: 'column'; def: ColumnDef } | { kind: 'custom'; field: CustomField };

const norm = (s: string) => s.replace(/[*＊\s]/g, '').toLowerCase();

/** Maps the header row onto the entity's columns and custom fields; file-level problems are fatal. */
function mapHeader(cells: string[], entity: EntityDef, fields: CustomField[]) {
  const names = new Map<string, Slot>();
  for (const def of entity.columns)
    for (const n of [def.key, def.header['zh-CN'], def.header.en])
      names.set(norm(n), { kind: 'column', def });
  for (const field of fields)
    for (const n of [field.key, customLabel(field, 'zh-CN'), customLabel(field, 'en')])
      if (!names.has(norm(n))) names.set(norm(n), { kind: 'custom', field });
  const slots: (Slot | undefined)[] = [];
  const taken = new Set<string>();
  const ignored: string[] = [];
  for (const cell of cells) {
    const slot = cell ? names.get(norm(cell)) : undefined;
    const id = slot && (slot.kind === 'column' ? slot.def.key : `cf:${slot.field.key}`);
    if (id && taken.has(id)) throw new AppError('IMPORT_HEADER_INVALID', `The column ${cell} appears twice`);
    if (id) taken.add(id);
    else if (cell) ignored.push(cell);
    slots.push(slot);
  }
  const missing = [
    ...entity.columns.filter((d) => d.required && !taken.has(d.key)).map((d) => d.header['zh-CN']),
    ...fields.filter((f) => f.required && !taken.has(`cf:${f.key}`)).map((f) => customLabel(f, 'zh-CN')),
  ];
  if (missing.length)
    throw new AppError('IMPORT_HEADER_INVALID', `Required columns are missing: ${missing.join(', ')}`, {
      missing,
    });
  return { slots, ignored };
}

/** Checks and parses one non-empty cell; the reason when it is bad. */
function parseCell(slot: Slot, text: string): { value: unknown } | { code: string; message: string } {
  if (text.includes('\u0000')) return { code: 'nul', message: 'contains a NUL character' };
  const max = slot.kind === 'column' ? slot.def.max : 1000;
  if (text.length > max) return { code: 'too_long', message: `longer than ${max} characters` };
  const r = slot.kind === 'column' ? slot.def.parse(text) : parseCustom(slot.field, text);
  return r.ok ? { value: r.value } : { code: r.code, message: r.message };
}

/** The original cells by header, as stored with an error row. */
function rawOf(cells: string[], headers: string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  headers.forEach((h, i) => {
    if (h) raw[h] = storable(cells[i] ?? '');
  });
  return raw;
}

function parseCells(row: number, cells: string[], slots: (Slot | undefined)[]) {
  const parsed: ParsedRow = { row, cells, values: new Map(), custom: new Map() };
  const errors: RowError[] = [];
  for (let i = 0; i < slots.length; i++) {
    const text = cells[i] ?? '';
    const slot = slots[i];
    if (!slot) continue;
    const column = slot.kind === 'column' ? slot.def.key : `cf:${slot.field.key}`;
    const target = slot.kind === 'column' ? parsed.values : parsed.custom;
    const key = slot.kind === 'column' ? slot.def.key : slot.field.key;
    const required = slot.kind === 'column' ? slot.def.required : slot.field.required;
    target.set(key, null);
    if (text === '') {
      if (required) errors.push({ column, code: 'required', message: 'is required' });
      continue;
    }
    const r = parseCell(slot, text);
    if ('value' in r) target.set(key, r.value);
    else errors.push({ column, ...r });
  }
  return { parsed, errors };
}

/**
 * The parsed rows again from the cells of rows that passed (a clean dry run's staged cells):
 * cheaper than reading the workbook again. Undefined when a row no longer parses the same way.
 */
export function reparseRows(
  entity: EntityDef,
  fields: CustomField[],
  headers: string[],
  rows: { row: number; cells: string[] }[],
): ParsedRow[] | undefined {
  const { slots } = mapHeader(headers, entity, fields);
  const out: ParsedRow[] = [];
  for (const r of rows) {
    const { parsed, errors } = parseCells(r.row, r.cells, slots);
    if (errors.length) return undefined;
    out.push(parsed);
  }
  return out;
}

export interface RunOptions {
  tx: Tx;
  entity: EntityDef;
  path: string;
  kind: FileKind;
  ctx: CheckContext;
  onProgress?: (rowsRead: number) => Promise<void>;
}

/** A file read and its cells parsed: the report so far and the rows that passed. */
export interface ParsedFile {
  report: ImportReport;
  good: ParsedRow[];
}

function addError(report: ImportReport, e: ErrorRow) {
  report.errors++;
  if (report.errorRows.length < MAX_ERROR_ROWS) report.errorRows.push(e);
  else report.errorRowsTruncated = true;
}

/** Reads every row and checks its cells and the key's uniqueness within the file. */
export async function parseFile(o: Omit<RunOptions, 'tx'>): Promise<ParsedFile> {
  const report = emptyReport();
  let header: ReturnType<typeof mapHeader> | undefined;
  const good: ParsedRow[] = [];
  const keys = new Map<string, number>();
  for await (const { row, cells } of readRows(o.path, o.kind)) {
    if (cells.every((c) => c === '')) continue;
    if (!header) {
      header = mapHeader(cells, o.entity, o.ctx.customFields);
      report.headers = cells.map((c) => storable(c));
      report.ignoredColumns = header.ignored;
      continue;
    }
    if (++report.total > MAX_IMPORT_ROWS)
      throw new AppError('IMPORT_TOO_MANY_ROWS', `At most ${MAX_IMPORT_ROWS} rows per file`);
    const { parsed, errors } = parseCells(row, cells, header.slots);
    const key = parsed.values.get(o.entity.keyColumn);
    if (typeof key === 'string') {
      const first = keys.get(key);
      if (first !== undefined)
        errors.push({
          column: o.entity.keyColumn,
          code: 'duplicate_in_file',
          message: `duplicates row ${first}`,
        });
      else keys.set(key, row);
    }
    if (errors.length) addError(report, { row, values: rawOf(cells, report.headers), reasons: errors });
    else good.push(parsed);
    if (report.total % 2000 === 0) await o.onProgress?.(report.total);
  }
  if (!header) throw new AppError('IMPORT_FILE_EMPTY', 'The file has no header row');
  return { report, good };
}

/** Checks the parsed rows against what the database holds as seen by `tx`; completes the report. */
export async function checkRows(tx: Tx, entity: EntityDef, ctx: CheckContext, file: ParsedFile) {
  const { report, good } = file;
  const loaded = await entity.load(tx, good, ctx);
  const seen = new Map<string, number>();
  const changes: unknown[] = [];
  for (const row of good) {
    const r = entity.check(row, loaded, ctx, seen);
    if ('errors' in r) {
      addError(report, { row: row.row, values: rawOf(row.cells, report.headers), reasons: r.errors });
      continue;
    }
    report[r.outcome]++;
    if (r.outcome !== 'unchanged') changes.push(r.record);
  }
  report.errorRows.sort((a, b) => a.row - b.row);
  return { report, changes };
}

/**
 * Reads every row, checks it (cells, duplicates within the file, then against what the database
 * holds as seen by `tx`) and returns the dry-run report with the records an apply would write.
 */
export async function runImport(o: RunOptions): Promise<{ report: ImportReport; changes: unknown[] }> {
  return await checkRows(o.tx, o.entity, o.ctx, await parseFile(o));
}
