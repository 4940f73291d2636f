import {
  DECIMAL_PATTERN,
  type IngestReason,
  type RawReading,
  type ReadingKind,
  type RegisterDef,
  rawReadingSchema,
} from '@quadmeter/sdk';
import type { Zone } from './zone.ts';

/** Reading kinds as stored (smallint). */
export const KIND_CODES: Readonly<Record<ReadingKind, number>> = {
  realtime: 1,
  daily: 2,
  monthly: 3,
  manual: 4,
  estimated: 5,
};

/** A reading checked for shape, with its stored key instant and flags so far. */
export interface Prepared {
  /** position in the caller's batch */
  n: number;
  raw: RawReading;
  kind: number;
  /** the key instant: measuredAt, or the start of the frozen date / month in the tenant's zone */
  ts: number;
  receivedAt: number;
  flags: string[];
}

/** Readings are checked one by one: a malformed one is rejected alone, never its batch. */
export function shapeCheck(r: unknown): IngestReason[] {
  const parsed = rawReadingSchema.safeParse(r);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => ({
    code: 'READING_MALFORMED',
    message: `${i.path.join('.') || '(reading)'}: ${i.message}`,
  }));
}

export function keyInstant(r: RawReading, z: Zone): number {
  if ((r.kind === 'daily' || r.kind === 'monthly') && r.frozenFor) return z.startOf(r.frozenFor);
  return Date.parse(r.measuredAt);
}

export interface Values {
  /** the main register's decimal string, or null when the meter gave none */
  main: string | null;
  /** the other registers as given (strings or null), or null when there are none */
  others: Record<string, string | null> | null;
  /** numbers (and states) for the meter-type plugin; registers without value left out */
  forPlugin: Record<string, number | string>;
  flags: string[];
  reasons: IngestReason[];
}

/**
 * Splits a reading's registers into the stored main value and the rest, flags every register
 * without value `missing` (an FF/EE-filled field is a null, not a rejection) and rejects values
 * that are not decimals of at most the register's places (or not one of a state register's states).
 */
export function splitValues(
  r: RawReading,
  registers: ReadonlyMap<string, RegisterDef>,
  main: string,
): Values {
  const out: Values = { main: null, others: null, forPlugin: {}, flags: [], reasons: [] };
  for (const [k, v] of Object.entries(r.registers)) {
    const def = registers.get(k);
    for (const q of r.quality?.[k] ?? []) if (q !== 'missing' || v !== null) out.flags.push(`${q}:${k}`);
    if (v === null) {
      out.flags.push(`missing:${k}`);
    } else if (def?.kind === 'state') {
      out.forPlugin[k] = v;
    } else if (!DECIMAL_PATTERN.test(v) || (def && (v.split('.')[1]?.length ?? 0) > def.decimals)) {
      out.reasons.push({
        code: 'REGISTER_FORMAT',
        register: k,
        message: `${k} '${v}' is not a decimal with at most ${def?.decimals ?? 6} places`,
      });
      continue;
    } else {
      out.forPlugin[k] = Number(v);
    }
    if (k === main) out.main = v;
    else {
      out.others ??= {};
      out.others[k] = v;
    }
  }
  return out;
}
