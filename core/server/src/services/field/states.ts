import { type SQL, sql } from 'drizzle-orm';

/**
 * The field app's work filters. Each is a condition over the row the work list builds (alias `w`,
 * columns below), so another state (anomalies, once their table lands) is one more entry here.
 * - last_ts: the meter's latest reading instant (reading_state)
 * - last_outcome: the outcome of the meter's latest reading-task attempt
 * - conc_online: false when the meter hangs behind a concentrator that is offline
 * - cut: the latest confirmed valve/relay command cut supply
 * - balance_fen: the account's balance (negative = owed)
 */
export const FIELD_STATES = [
  'not-read-today',
  'failed-read',
  'offline-concentrator',
  'valve-closed',
  'in-arrears',
] as const;
export type FieldState = (typeof FIELD_STATES)[number];

/** Outcomes of a reading-task attempt that read the meter (anything else is a failed read). */
const READ_OK = sql`('ok', 'pushed', 'fallback_daily')`;

export function stateCondition(state: FieldState, todayStart: SQL): SQL {
  switch (state) {
    case 'not-read-today':
      return sql`(w.last_ts is null or w.last_ts < ${todayStart})`;
    case 'failed-read':
      return sql`(w.last_outcome is not null and w.last_outcome not in ${READ_OK})`;
    case 'offline-concentrator':
      return sql`w.conc_online = false`;
    case 'valve-closed':
      return sql`w.cut = true`;
    case 'in-arrears':
      return sql`w.balance_fen < 0`;
  }
}

/** The flags the list and the meter card show, from the same row. */
export function stateFlags(
  r: {
    lastTs: string | null;
    lastOutcome: string | null;
    concOnline: boolean | null;
    cut: boolean | null;
    balanceFen: string | null;
  },
  todayStartMs: number,
): FieldState[] {
  const out: FieldState[] = [];
  if (!r.lastTs || Date.parse(r.lastTs) < todayStartMs) out.push('not-read-today');
  if (r.lastOutcome && !['ok', 'pushed', 'fallback_daily'].includes(r.lastOutcome)) out.push('failed-read');
  if (r.concOnline === false) out.push('offline-concentrator');
  if (r.cut === true) out.push('valve-closed');
  if (r.balanceFen !== null && BigInt(r.balanceFen) < 0n) out.push('in-arrears');
  return out;
}
