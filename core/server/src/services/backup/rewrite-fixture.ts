import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { zstdCompressSync } from 'node:zlib';
import {
  type BackupHeader,
  type BackupRecord,
  countRows,
  encodeRecord,
  filePrefix,
  json,
  type Manifest,
  type TableSummary,
} from './format.ts';
import { fileRecords } from './read.ts';

/**
 * Test helper: rewrites a backup file record by record and re-seals it — every table's row count
 * and hash, the manifest and the trailer recomputed — the way an older Quadmeter (or a forger
 * who knows the format) would have written it. `header` edits the header; `rows(table, chunk)`
 * edits each table's COPY text (whole tables are passed as one chunk).
 */
export async function resealBackup(
  from: string,
  to: string,
  edit: { header?: (h: BackupHeader) => BackupHeader; rows?: (table: string, text: string) => string },
): Promise<void> {
  const records: BackupRecord[] = [];
  for await (const r of fileRecords(from)) records.push(r);
  const out: Buffer[] = [];
  const summaries: TableSummary[] = [];
  let table = '';
  let text: Buffer[] = [];
  for (const r of records) {
    if (r.type === 'H') {
      const h = JSON.parse(r.payload.toString('utf8')) as BackupHeader;
      out.push(encodeRecord('H', json(edit.header ? edit.header(h) : h)));
    } else if (r.type === 'B') {
      table = (JSON.parse(r.payload.toString('utf8')) as { table: string }).table;
      text = [];
      out.push(encodeRecord('B', r.payload));
    } else if (r.type === 'D') {
      text.push(r.payload);
    } else if (r.type === 'E') {
      const body = Buffer.concat(text).toString('utf8');
      const data = Buffer.from(edit.rows ? edit.rows(table, body) : body, 'utf8');
      if (data.length) out.push(encodeRecord('D', data));
      const s = {
        table,
        rows: countRows(data),
        bytes: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
      };
      summaries.push(s);
      out.push(encodeRecord('E', json(s)));
    } else if (r.type === 'M') {
      out.push(encodeRecord('M', json({ tables: summaries } satisfies Manifest)));
    }
  }
  const body = Buffer.concat(out);
  const trailer = encodeRecord('Z', createHash('sha256').update(body).digest());
  await writeFile(to, Buffer.concat([filePrefix(), zstdCompressSync(Buffer.concat([body, trailer]))]));
}

/** Test helper: the file with one byte of the decompressed body changed, NOT re-sealed. */
export async function tamperBackup(from: string, to: string, find: string, replace: string): Promise<void> {
  const { zstdDecompressSync } = await import('node:zlib');
  const raw = await readFile(from);
  const body = zstdDecompressSync(raw.subarray(filePrefix().length));
  const at = body.indexOf(find);
  if (at < 0 || find.length !== replace.length) throw new Error(`cannot tamper: ${find}`);
  body.write(replace, at, 'latin1');
  await writeFile(to, Buffer.concat([filePrefix(), zstdCompressSync(body)]));
}
