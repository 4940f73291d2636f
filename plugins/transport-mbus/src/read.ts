import type { MeterTarget, RawReading, ReadKind } from '@quadmeter/sdk';
import {
  type ByteLink,
  idempotencyKey,
  type SerialLineParams,
  startOf,
  TransportError,
  wallToIso,
} from '@quadmeter/sdk/serial';
import { parseAddress } from './address.ts';
import type { MbusConfig } from './config.ts';
import { dateOf, registersOf } from './registers.ts';
import { requestData } from './wire.ts';

/** A value stored at the end of a month's last day is the next month's opening value. */
export function nextDayIfMonthEnd(date: string): string {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return next.endsWith('-01') ? next : date;
}

/**
 * The month a stored value opens (frozenFor 'YYYY-MM', the value at the start of that month, as a
 * DL/T 645 settlement): a value dated the 1st opens its month, one dated the last day the next.
 */
export function settlementMonth(date: string): string {
  return nextDayIfMonthEnd(date.slice(0, 10)).slice(0, 7);
}

export interface ReadOptions {
  config: MbusConfig;
  kind: ReadKind;
  frozenFor?: string;
}

/**
 * One M-Bus meter: REQ_UD2 (after a select for secondary addresses). Real-time: the current
 * records (storage 0) stamped with the meter's date-time record; monthly: the storage number
 * whose date opens the month asked (`settlementMonth`: makes store on the 1st or on the last day).
 */
export async function readMeter(
  link: ByteLink,
  line: SerialLineParams,
  target: MeterTarget,
  signal: AbortSignal,
  o: ReadOptions,
): Promise<RawReading> {
  if (target.ref.protocol !== 'mbus')
    throw new TransportError('PROTOCOL_UNSUPPORTED', `protocol ${target.ref.protocol} is not M-Bus`);
  const address = parseAddress(target.ref.address);
  if (o.kind === 'daily')
    throw new TransportError('KIND_UNSUPPORTED', 'M-Bus meters here keep no daily values');
  if (o.kind === 'monthly' && !/^\d{4}-\d{2}$/.test(o.frozenFor ?? ''))
    throw new TransportError('KIND_UNSUPPORTED', 'a monthly read names its month');
  const latencyMs = typeof target.params?.latencyMs === 'number' ? target.params.latencyMs : line.latencyMs;
  const f = await requestData({ link, line, signal, latencyMs }, address);
  const records = f.records ?? [];
  const off = o.config.utcOffsetMinutes;
  let storage = 0;
  let measuredAt = wallToIso(dateOf(records, 0), off) ?? new Date().toISOString();
  if (o.kind === 'monthly') {
    const month = o.frozenFor as string;
    const hit = records.find(
      (r) =>
        r.storage > 0 && r.quantity === 'date' && !r.invalid && settlementMonth(String(r.value)) === month,
    );
    if (!hit)
      throw new TransportError('FROZEN_NOT_FOUND', `meter ${target.ref.address} stores no value of ${month}`);
    storage = hit.storage;
    measuredAt = startOf(nextDayIfMonthEnd(String(hit.value).slice(0, 10)), off);
  }
  const route = { via: 'serial' as const, line: line.key, address: target.ref.address };
  const wanted = target.registers;
  const all = registersOf(records, f.header?.medium, storage);
  const registers = wanted
    ? Object.fromEntries(Object.entries(all).filter(([k]) => wanted.includes(k)))
    : all;
  const frozen = o.kind === 'monthly' ? o.frozenFor : undefined;
  return {
    route,
    kind: o.kind,
    measuredAt,
    receivedAt: new Date().toISOString(),
    ...(frozen ? { frozenFor: frozen } : {}),
    registers,
    ...(f.header ? { status: { word: f.header.status, protocol: 'mbus' } } : {}),
    idempotencyKey: idempotencyKey('mbus', line.key, target.ref.address, o.kind, frozen ?? measuredAt),
  };
}
