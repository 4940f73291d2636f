import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import { safeLiteral } from '../../db/raw-tx.ts';
import { ident } from './catalogue.ts';
import { type BackupTable, countRows } from './format.ts';

const COLLATABLE = /^(text|character varying.*|text\[\])$/;

/**
 * The canonical row stream of one table for one tenant: COPY text of its columns in catalogue
 * order, sorted by its key (text compared bytewise, collation "C", so every deployment agrees).
 * `exprs` replaces the plain columns (the restore's id map, to compare a copy with its source).
 */
export function canonicalCopy(t: BackupTable, tenantId: string, exprs?: string[]): string {
  const cols = t.columns.map((c, i) => `${exprs ? exprs[i] : `s.${ident(c.name)}`} as ${ident(c.name)}`);
  const types = new Map(t.columns.map((c) => [c.name, c.type]));
  const order = t.key.map((k) => `${ident(k)}${COLLATABLE.test(types.get(k) ?? '') ? ' collate "C"' : ''}`);
  const inner = `select ${cols.join(', ')} from public.${ident(t.table)} s where s.tenant_id = ${safeLiteral(tenantId, 'uuid')}`;
  return `copy (select * from (${inner}) q order by ${order.join(', ')}) to stdout`;
}

/** The canonical session settings: values print the same whatever the server's defaults. */
export async function canonicalSettings(tx: postgres.Sql): Promise<void> {
  await tx`select set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),
    set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '3', true),
    set_config('bytea_output', 'hex', true)`;
}

export interface StreamedTable {
  rows: number;
  bytes: number;
  sha256: string;
}

/** Streams one COPY TO STDOUT through `onChunk`, hashing and counting as it goes. */
export async function streamCopy(
  tx: postgres.Sql,
  statement: string,
  onChunk?: (chunk: Buffer) => Promise<void> | void,
): Promise<StreamedTable> {
  const hash = createHash('sha256');
  let rows = 0;
  let bytes = 0;
  const readable = await tx.unsafe(statement).readable();
  for await (const chunk of readable as AsyncIterable<Buffer>) {
    hash.update(chunk);
    rows += countRows(chunk);
    bytes += chunk.length;
    if (onChunk) await onChunk(chunk);
  }
  // postgres.js pauses the socket when the stream's buffer is full and resumes it only from the
  // stream's read(); a COPY whose last chunk paused it ends with the socket paused, and the next
  // statement on the connection would wait forever. Resume it once the stream has ended.
  (readable as unknown as { _read(n: number): void })._read(0);
  return { rows, bytes, sha256: hash.digest('hex') };
}
