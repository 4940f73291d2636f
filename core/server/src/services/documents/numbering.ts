import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { localTime } from '../payments/receipt.ts';
import { type DocumentKind, defaultPatterns } from './kinds.ts';

/** A pattern cut into literal text and fields: `SJ{yyyy}{seq:6}`. */
type Part = { lit: string } | { field: 'yyyy' | 'yy' | 'mm' | 'dd' } | { seq: number };

const LITERAL = /^[A-Za-z0-9_\-/.]*$/;

/** Parses a number pattern; DOCUMENT_NUMBER_PATTERN_INVALID unless it has exactly one {seq:N}. */
export function parsePattern(pattern: string): Part[] {
  const parts: Part[] = [];
  const bad = (why: string) =>
    new AppError('DOCUMENT_NUMBER_PATTERN_INVALID', undefined, { pattern, reason: why });
  let rest = pattern;
  while (rest) {
    const open = rest.indexOf('{');
    const lit = open < 0 ? rest : rest.slice(0, open);
    if (!LITERAL.test(lit)) throw bad('literal text may hold letters, digits and _ - / . only');
    if (lit) parts.push({ lit });
    if (open < 0) break;
    const close = rest.indexOf('}', open);
    if (close < 0) throw bad('unclosed {');
    const name = rest.slice(open + 1, close);
    const seq = /^seq:(\d{1,2})$/.exec(name);
    if (seq) {
      const width = Number(seq[1]);
      if (width < 1 || width > 12) throw bad('{seq:N} needs 1 ≤ N ≤ 12');
      parts.push({ seq: width });
    } else if (name === 'yyyy' || name === 'yy' || name === 'mm' || name === 'dd')
      parts.push({ field: name });
    else throw bad(`unknown field {${name}}`);
    rest = rest.slice(close + 1);
  }
  if (parts.filter((p) => 'seq' in p).length !== 1) throw bad('exactly one {seq:N} is needed');
  return parts;
}

/** The date fields of `at` in the zone. */
function fieldsAt(at: Date, timeZone: string) {
  const t = localTime(at.toISOString(), timeZone);
  return { yyyy: t.slice(0, 4), yy: t.slice(2, 4), mm: t.slice(5, 7), dd: t.slice(8, 10) };
}

/** The counting period: the date fields the pattern names (a new period restarts the sequence). */
export function periodOf(parts: Part[], at: Date, timeZone: string): string {
  const f = fieldsAt(at, timeZone);
  return parts.map((p) => ('field' in p ? f[p.field] : '')).join('');
}

export function formatNumber(parts: Part[], seq: bigint, at: Date, timeZone: string): string {
  const f = fieldsAt(at, timeZone);
  return parts
    .map((p) => ('lit' in p ? p.lit : 'field' in p ? f[p.field] : seq.toString().padStart(p.seq, '0')))
    .join('');
}

export interface Series {
  kind: DocumentKind;
  pattern: string;
  nextSeq: string;
  period: string;
}

/** The tenant's series (the defaults for kinds never used). */
export async function listSeries(tx: Tx): Promise<Series[]> {
  const rows = await tx.execute<{ kind: DocumentKind; pattern: string; next_seq: string; period: string }>(
    sql`select kind, pattern, next_seq::text, period from document_series`,
  );
  return (Object.keys(defaultPatterns) as DocumentKind[]).map((kind) => {
    const r = rows.find((x) => x.kind === kind);
    return r
      ? { kind, pattern: r.pattern, nextSeq: r.next_seq, period: r.period }
      : { kind, pattern: defaultPatterns[kind], nextSeq: '1', period: '' };
  });
}

/** Changes a series' pattern; the count goes on unless the new pattern's period differs. */
export async function setPattern(
  tx: Tx,
  tenantId: string,
  kind: DocumentKind,
  pattern: string,
): Promise<void> {
  parsePattern(pattern);
  await tx.execute(sql`insert into document_series (tenant_id, kind, pattern) values (${tenantId}, ${kind}, ${pattern})
    on conflict (tenant_id, kind) do update set pattern = excluded.pattern, updated_at = now()`);
}

/**
 * Locks the kind's series row (made with the default pattern on first use) until the transaction
 * ends: issuing a document of the kind is one at a time from here on.
 */
export async function lockSeries(tx: Tx, tenantId: string, kind: DocumentKind) {
  await tx.execute(sql`insert into document_series (tenant_id, kind, pattern)
    values (${tenantId}, ${kind}, ${defaultPatterns[kind]}) on conflict (tenant_id, kind) do nothing`);
  const [row] = await tx.execute<{ pattern: string; next_seq: string; period: string }>(
    sql`select pattern, next_seq::text, period from document_series where kind = ${kind} for update`,
  );
  if (!row) throw new Error(`series ${kind} missing after insert`);
  return row;
}

/**
 * Takes the next number of the kind's series. The series row stays locked until the caller's
 * transaction ends, so numbers are handed out one at a time and a rolled-back document gives its
 * number back: no gaps, no duplicates.
 */
export async function nextNumber(
  tx: Tx,
  tenantId: string,
  kind: DocumentKind,
  at: Date,
  timeZone: string,
): Promise<string> {
  const row = await lockSeries(tx, tenantId, kind);
  const parts = parsePattern(row.pattern);
  const period = periodOf(parts, at, timeZone);
  const seq = period === row.period ? BigInt(row.next_seq) : 1n;
  const width = parts.find((p): p is { seq: number } => 'seq' in p)?.seq ?? 6;
  if (seq >= 10n ** BigInt(width))
    throw new AppError('DOCUMENT_SERIES_EXHAUSTED', undefined, { kind, pattern: row.pattern, period });
  await tx.execute(sql`update document_series set next_seq = ${(seq + 1n).toString()}::bigint,
    period = ${period}, updated_at = now() where kind = ${kind}`);
  return formatNumber(parts, seq, at, timeZone);
}
