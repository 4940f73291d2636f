import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createZstdDecompress } from 'node:zlib';
import { AppError } from '@quadmeter/sdk';
import {
  type BackupHeader,
  type BackupRecord,
  checkPrefix,
  corrupt,
  countRows,
  FORMAT_VERSION,
  type Manifest,
  PREFIX_BYTES,
  parseJson,
  readRecords,
  type TableSummary,
} from './format.ts';

/** The decompressed records of a backup file, after its magic and format version are checked. */
export async function* fileRecords(file: string): AsyncGenerator<BackupRecord> {
  const fh = await open(file, 'r').catch((e) => {
    throw new AppError('BACKUP_FILE_UNREADABLE', `cannot read ${file}: ${(e as Error).message}`);
  });
  try {
    const prefix = Buffer.alloc(PREFIX_BYTES);
    const { bytesRead } = await fh.read(prefix, 0, PREFIX_BYTES, 0);
    checkPrefix(prefix.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
  const zstd = createZstdDecompress();
  const body = createReadStream(file, { start: PREFIX_BYTES }).pipe(zstd);
  async function* decompressed(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of body) yield chunk as Buffer;
    } catch (e) {
      throw corrupt('the compressed stream is broken', e);
    }
  }
  yield* readRecords(decompressed());
}

export interface TableEvents {
  header(h: BackupHeader): Promise<void> | void;
  begin(table: string): Promise<void> | void;
  data(chunk: Buffer): Promise<void> | void;
  end(summary: TableSummary): Promise<void> | void;
}

/**
 * Walks a backup file checking everything it can without a database: record order, each table's
 * row count and SHA-256 against its end record and the manifest, and the trailer (in fileRecords).
 * `events` (optional) sees the content as it passes; a failure throws BACKUP_CORRUPT. The file is
 * trusted only once this resolves.
 */
export async function walkBackup(
  file: string,
  events?: Partial<TableEvents>,
): Promise<{ header: BackupHeader; manifest: Manifest }> {
  let header: BackupHeader | undefined;
  let manifest: Manifest | undefined;
  const seen: TableSummary[] = [];
  let current:
    | { table: string; hash: ReturnType<typeof createHash>; rows: number; bytes: number }
    | undefined;
  let trailer = false;
  for await (const r of fileRecords(file)) {
    if (r.type === 'H') {
      if (header) throw corrupt('two headers');
      header = parseJson<BackupHeader>(r.payload, 'header');
      if (header.format !== FORMAT_VERSION || !Array.isArray(header.tables))
        throw corrupt('the header does not describe this format');
      await events?.header?.(header);
    } else if (!header) {
      throw corrupt('the header is missing');
    } else if (r.type === 'B') {
      if (current || manifest) throw corrupt('a table begins in the wrong place');
      const { table } = parseJson<{ table: string }>(r.payload, 'table start');
      const expected = header.tables[seen.length]?.table;
      if (table !== expected) throw corrupt(`table ${table} is out of order (expected ${expected})`);
      current = { table, hash: createHash('sha256'), rows: 0, bytes: 0 };
      await events?.begin?.(table);
    } else if (r.type === 'D') {
      if (!current) throw corrupt('rows outside a table');
      current.hash.update(r.payload);
      current.rows += countRows(r.payload);
      current.bytes += r.payload.length;
      await events?.data?.(r.payload);
    } else if (r.type === 'E') {
      const end = parseJson<TableSummary>(r.payload, 'table end');
      const got = { table: current?.table, rows: current?.rows, sha256: current?.hash.digest('hex') };
      if (!current || end.table !== got.table || end.rows !== got.rows || end.sha256 !== got.sha256)
        throw corrupt(`the rows of table ${end.table} do not match their checksum`);
      seen.push({ table: current.table, rows: current.rows, bytes: current.bytes, sha256: end.sha256 });
      current = undefined;
      await events?.end?.(seen.at(-1)!);
    } else if (r.type === 'M') {
      if (current || manifest) throw corrupt('the manifest is in the wrong place');
      manifest = parseJson<Manifest>(r.payload, 'manifest');
      if (JSON.stringify(manifest.tables) !== JSON.stringify(seen) || seen.length !== header.tables.length)
        throw corrupt('the manifest does not match the tables in the file');
    } else if (r.type === 'Z') {
      if (!manifest) throw corrupt('the manifest is missing');
      trailer = true;
    }
  }
  if (!header || !manifest || !trailer) throw corrupt('the file is incomplete');
  return { header, manifest };
}
