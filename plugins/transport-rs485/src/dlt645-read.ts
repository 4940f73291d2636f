import type { RawReading } from '@quadmeter/sdk';
import {
  daysBetween,
  decimalString,
  monthsBetween,
  startOf,
  TransportError,
  today,
  wallToIso,
} from '@quadmeter/sdk/serial';
import { dltRead } from './dlt645-wire.ts';
import { type MeterCall, makeReading, wants } from './reading.ts';

const TARIFFS = ['T1', 'T2', 'T3', 'T4'] as const;
/** energy block: total + T1..T4, 4 bytes each */
const BLOCK = 20;

/** A DL/T 645 energy block (values total, T1..T4) as `<base>Total`, `<base>T1`… */
function energyRegisters(base: string, values: unknown): Record<string, string | null> {
  const v = (values ?? {}) as Record<string, unknown>;
  const out: Record<string, string | null> = { [`${base}Total`]: decimalString(v.total, 2) };
  for (const t of TARIFFS) out[`${base}${t}`] = decimalString(v[t], 2);
  return out;
}

const IMPORT = ['activeImportTotal', ...TARIFFS.map((t) => `activeImport${t}`)];
const EXPORT = ['activeExportTotal', ...TARIFFS.map((t) => `activeExport${t}`)];

interface Plan {
  /** positive and reverse energy block DIs */
  positive: string;
  reverse: string;
}

async function energyRead(c: MeterCall, plan: Plan): Promise<Record<string, string | null>> {
  let registers: Record<string, string | null> = {};
  if (wants(c.target, IMPORT)) {
    const f = await dltRead(c, plan.positive, BLOCK);
    registers = { ...registers, ...energyRegisters('activeImport', f.values) };
  }
  if (wants(c.target, EXPORT)) {
    const f = await dltRead(c, plan.reverse, BLOCK);
    registers = { ...registers, ...energyRegisters('activeExport', f.values) };
  }
  return registers;
}

/**
 * Status word 3 (04000503): relay state bit 4. Combined as word1 | word3 << 16 (word1 not read).
 * A meter without it (error reply) leaves `relay` without value instead of failing the reading.
 */
async function relayStatus(c: MeterCall) {
  let value: unknown;
  try {
    value = (await dltRead(c, '04000503', 2)).value;
  } catch (e) {
    if (e instanceof TransportError && e.code === 'METER_ERROR') return { registers: { relay: null } };
    throw e;
  }
  const word3 = typeof value === 'string' ? Number.parseInt(value, 16) : Number.NaN;
  if (!Number.isInteger(word3)) return { registers: { relay: null } };
  return {
    registers: { relay: word3 & 0x10 ? 'open' : 'closed' },
    status: { word: (word3 << 16) >>> 0, protocol: 'dlt645-2007' },
  };
}

/** Finds the last-n daily freeze (0506000n) whose time falls on `date`: estimate, check, correct once. */
async function dailyIndex(c: MeterCall, date: string): Promise<{ n: number; at: string }> {
  const off = c.config.utcOffsetMinutes;
  let n = daysBetween(date, today(c.now, off).date) + 1;
  for (let tries = 0; tries < 2; tries++) {
    if (n < 1 || n > 62) break;
    const di = `050600${n.toString(16).padStart(2, '0').toUpperCase()}`;
    let at: string | undefined;
    try {
      at = (await dltRead(c, di, 5)).value as string | undefined;
    } catch (e) {
      if (e instanceof TransportError && e.code === 'METER_ERROR') break;
      throw e;
    }
    if (typeof at !== 'string') break;
    const frozeOn = at.slice(0, 10);
    if (frozeOn === date) return { n, at: wallToIso(at, off) ?? startOf(date, off) };
    n += daysBetween(date, frozeOn);
  }
  throw new TransportError(
    'FROZEN_NOT_FOUND',
    `meter ${c.target.ref.address} holds no daily freeze of ${date}`,
  );
}

const nn = (n: number): string => n.toString(16).padStart(2, '0').toUpperCase();

/** DL/T 645-2007: real-time energy and relay state, the daily freeze of a date, or a month's settlement. */
export async function read2007(c: MeterCall): Promise<RawReading> {
  const protocol = 'dlt645-2007';
  const off = c.config.utcOffsetMinutes;
  if (c.kind === 'daily') {
    const date = c.frozenFor as string;
    const { n, at } = await dailyIndex(c, date);
    const registers = await energyRead(c, { positive: `050601${nn(n)}`, reverse: `050602${nn(n)}` });
    return makeReading(c, { protocol, measuredAt: at, registers });
  }
  if (c.kind === 'monthly') {
    const month = c.frozenFor as string;
    // settlement on the 1st at 00:00: the current month's start is last-1
    const n = monthsBetween(month, today(c.now, off).month) + 1;
    if (n < 1 || n > 12)
      throw new TransportError('FROZEN_NOT_FOUND', `settlement ${month} is not among the last 12`);
    const registers = await energyRead(c, { positive: `0001FF${nn(n)}`, reverse: `0002FF${nn(n)}` });
    return makeReading(c, { protocol, measuredAt: startOf(month, off), registers });
  }
  const measuredAt = new Date(c.now).toISOString();
  const registers = await energyRead(c, { positive: '0001FF00', reverse: '0002FF00' });
  if (!wants(c.target, ['relay'])) return makeReading(c, { protocol, measuredAt, registers });
  const s = await relayStatus(c);
  return makeReading(c, {
    protocol,
    measuredAt,
    registers: { ...registers, ...s.registers },
    status: s.status,
  });
}

/** DL/T 645-1997: current energy (901F / 902F), or last month / the month before (941F, 981F). */
export async function read1997(c: MeterCall): Promise<RawReading> {
  const protocol = 'dlt645-1997';
  const off = c.config.utcOffsetMinutes;
  if (c.kind === 'daily')
    throw new TransportError('KIND_UNSUPPORTED', 'DL/T 645-1997 meters keep no daily freeze');
  if (c.kind === 'monthly') {
    const month = c.frozenFor as string;
    const n = monthsBetween(month, today(c.now, off).month) + 1;
    const group = n === 1 ? '4' : n === 2 ? '8' : undefined;
    if (!group) throw new TransportError('FROZEN_NOT_FOUND', `DL/T 645-1997 keeps two months, not ${month}`);
    const registers = await energyRead(c, { positive: `9${group}1F`, reverse: `9${group}2F` });
    return makeReading(c, { protocol, measuredAt: startOf(month, off), registers });
  }
  const registers = await energyRead(c, { positive: '901F', reverse: '902F' });
  return makeReading(c, { protocol, measuredAt: new Date(c.now).toISOString(), registers });
}
