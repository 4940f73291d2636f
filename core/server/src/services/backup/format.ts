import { createHash } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';

/**
 * The backup file: 8 bytes of magic, a 2-byte format version, then one zstd stream holding a
 * sequence of records `type (1 byte) | length (uint32 BE) | payload`:
 *   H  header JSON (format, schema tag, tenant, created_at, tables with columns and keys)
 *   B  table begins (JSON { table })
 *   D  a chunk of the table's COPY text rows
 *   E  table ends (JSON { table, rows, sha256, bytes })
 *   M  manifest JSON (every table's rows, sha256, bytes), repeated at the end of the stream
 *   Z  trailer: SHA-256 (32 bytes) over every record before it, as written
 */
export const MAGIC = Buffer.from('QMBACKUP', 'ascii');
export const FORMAT_VERSION = 1;
export const PREFIX_BYTES = MAGIC.length + 2;
export type RecordType = 'H' | 'B' | 'D' | 'E' | 'M' | 'Z';
const TYPES = new Set<string>(['H', 'B', 'D', 'E', 'M', 'Z']);
/** the largest record a reader accepts; COPY chunks are far smaller (64 KiB) */
export const MAX_RECORD = 16 * 1024 * 1024;

export interface BackupColumn {
  name: string;
  type: string;
}

export interface BackupTable {
  table: string;
  columns: BackupColumn[];
  /** the ordering key of the canonical row stream (the primary key, else every column) */
  key: string[];
}

export interface BackupHeader {
  format: number;
  schema: string;
  tenant: { id: string; code: string; name: string; status: string; createdAt: string };
  createdAt: string;
  tables: BackupTable[];
}

export interface TableSummary {
  table: string;
  rows: number;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  tables: TableSummary[];
}

export function filePrefix(): Buffer {
  const v = Buffer.alloc(2);
  v.writeUInt16BE(FORMAT_VERSION);
  return Buffer.concat([MAGIC, v]);
}

export function checkPrefix(prefix: Buffer): void {
  if (prefix.length < PREFIX_BYTES || !prefix.subarray(0, MAGIC.length).equals(MAGIC))
    throw new AppError('BACKUP_FORMAT', 'This file is not a Quadmeter backup (its magic bytes are wrong)');
  const version = prefix.readUInt16BE(MAGIC.length);
  if (version !== FORMAT_VERSION)
    throw new AppError(
      'BACKUP_VERSION',
      `The backup file format is version ${version}; this Quadmeter reads version ${FORMAT_VERSION}`,
    );
}

export function encodeRecord(type: RecordType, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'ascii');
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

export const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

export interface BackupRecord {
  type: RecordType;
  payload: Buffer;
}

export const corrupt = (why: string, cause?: unknown) =>
  new AppError('BACKUP_CORRUPT', `The backup file is damaged: ${why}`, undefined, { cause });

/**
 * Splits a decompressed body into records and checks the trailer: the SHA-256 of every byte
 * before the Z record must equal its payload, and nothing may follow it.
 */
export async function* readRecords(body: AsyncIterable<Buffer>): AsyncGenerator<BackupRecord> {
  const hash = createHash('sha256');
  let pending: Buffer = Buffer.alloc(0);
  let done = false;
  for await (const chunk of body) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 5) {
      if (done) throw corrupt('bytes follow the trailer');
      const type = String.fromCharCode(pending[0]);
      const length = pending.readUInt32BE(1);
      if (!TYPES.has(type) || length > MAX_RECORD) throw corrupt('a record header is invalid');
      if (pending.length < 5 + length) break;
      const whole = pending.subarray(0, 5 + length);
      const payload = Buffer.from(whole.subarray(5));
      pending = pending.subarray(5 + length);
      if (type === 'Z') {
        if (!hash.digest().equals(payload)) throw corrupt('the trailer checksum does not match');
        done = true;
      } else hash.update(whole);
      yield { type: type as RecordType, payload };
    }
  }
  if (pending.length) throw corrupt('the file ends inside a record (truncated)');
  if (!done) throw corrupt('the trailer is missing (truncated)');
}

export function parseJson<T>(payload: Buffer, what: string): T {
  try {
    return JSON.parse(payload.toString('utf8')) as T;
  } catch (e) {
    throw corrupt(`the ${what} is not valid JSON`, e);
  }
}

/** Rows in a chunk of COPY text: every row ends with a newline (newlines inside are escaped). */
export function countRows(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}
