import { createReadStream } from 'node:fs';
import { AppError } from '@quadmeter/sdk';
import { xlsxRows } from './xlsx-rows.ts';

export type FileKind = 'xlsx' | 'csv';
export interface SheetRow {
  /** 1-based row number as the user sees it in the sheet */
  row: number;
  cells: string[];
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF), UTF-8 with or without BOM, comma or tab. */
export function* parseCsv(text: string): Generator<SheetRow> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = body.slice(0, body.indexOf('\n') >>> 0);
  const sep = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === sep) {
      row.push(cell.trim());
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(cell.trim());
      yield { row: start, cells: row };
      row = [];
      cell = '';
      line++;
      start = line;
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell.trim());
    yield { row: start, cells: row };
  }
}

async function* csvRows(path: string): AsyncGenerator<SheetRow> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path)) chunks.push(chunk as Buffer);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError('IMPORT_FILE_INVALID', 'The CSV file is not valid UTF-8');
  }
  yield* parseCsv(text);
}

export async function* readRows(path: string, kind: FileKind): AsyncGenerator<SheetRow> {
  try {
    yield* kind === 'xlsx' ? xlsxRows(path) : csvRows(path);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(
      'IMPORT_FILE_INVALID',
      `The file cannot be read: ${(e as Error).message}`.slice(0, 300),
    );
  }
}

/** A cheap check at upload: an xlsx is a zip holding xl/workbook.xml; a CSV is UTF-8 text. */
export function sniff(bytes: Buffer, kind: FileKind): void {
  if (bytes.length === 0) throw new AppError('IMPORT_FILE_EMPTY');
  if (kind === 'xlsx') {
    const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
    if (!zip || !bytes.includes('xl/workbook.xml'))
      throw new AppError('IMPORT_FILE_INVALID', 'The file is not an xlsx workbook');
    return;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('IMPORT_FILE_INVALID', 'The CSV file is not valid UTF-8');
  }
}
