import { BROADCAST_ADDRESS as CJT188_BROADCAST } from '@quadmeter/protocols/cjt188/builders.ts';
import {
  BROADCAST_ADDRESS as DLT645_BROADCAST,
  WILDCARD_ADDRESS,
} from '@quadmeter/protocols/dlt645/address.ts';
import { AppError } from '@quadmeter/sdk';
import type { meterProtocols } from '../../db/schema/index.ts';

export type MeterProtocol = (typeof meterProtocols)[number];

interface Rule {
  test: (a: string) => boolean;
  rule: string;
  /** addresses the protocol reserves (broadcast, wildcard): never one meter's own */
  reserved?: readonly string[];
}

const bcd12: Rule = {
  test: (a) => /^\d{12}$/.test(a),
  rule: '12 decimal (BCD) digits',
  reserved: [DLT645_BROADCAST, WILDCARD_ADDRESS],
};

/** M-Bus: a primary address 0–250, or a 16-hex-digit secondary address (id, maker, version, medium). */
function mbusAddress(a: string): boolean {
  if (/^[0-9A-F]{16}$/.test(a)) return true;
  return /^(0|[1-9]\d{0,2})$/.test(a) && Number(a) <= 250;
}

const rules: Record<MeterProtocol, Rule> = {
  'dlt645-2007': bcd12,
  'dlt645-1997': bcd12,
  // meters behind a Q/GDW 1376.1 concentrator are addressed by their DL/T 645 address
  gdw1376: bcd12,
  cjt188: { test: (a) => /^[0-9A-F]{14}$/.test(a), rule: '14 hex digits', reserved: [CJT188_BROADCAST] },
  mbus: { test: mbusAddress, rule: 'a primary address 0–250 or a 16-hex-digit secondary address' },
  nbiot: { test: (a) => /^\d{15}$/.test(a), rule: 'the 15-digit IMEI' },
  lora: { test: (a) => /^[0-9A-F]{16}$/.test(a), rule: 'the 16-hex-digit DevEUI' },
};

/** The address in canonical form (hex upper-cased), or what the protocol's rule requires. */
export function checkAddress(
  protocol: MeterProtocol,
  address: string,
): { ok: true; value: string } | { ok: false; rule: string; message: string } {
  const a = address.toUpperCase();
  const r = rules[protocol];
  if (r.test(a) && !r.reserved?.includes(a)) return { ok: true, value: a };
  return {
    ok: false,
    rule: r.rule,
    message: `must be ${r.rule}${r.reserved ? ', not a broadcast or wildcard address' : ''}`,
  };
}

/**
 * The meter's communication address in its canonical form (hex upper-cased), or
 * METER_ADDRESS_INVALID naming the protocol's rule.
 */
export function canonicalAddress(protocol: MeterProtocol, address: string, field = 'commAddress'): string {
  const c = checkAddress(protocol, address);
  if (!c.ok)
    throw new AppError('METER_ADDRESS_INVALID', `${protocol} address must be ${c.rule}`, [
      { path: field, message: c.message },
    ]);
  return c.value;
}

/** The baud rates a serial route may use. */
export const serialBauds = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

/** A serial line: `tcp://host:port` (a serial server) or `tty:/dev/…` (a local port). */
export function isSerialLine(s: string): boolean {
  const tcp = /^tcp:\/\/([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:]+\]):(\d{1,5})$/.exec(s);
  if (tcp) return Number(tcp[2]) >= 1 && Number(tcp[2]) <= 65535;
  return /^tty:\/dev\/[A-Za-z0-9._/-]{1,100}$/.test(s) && !s.includes('..');
}

/** A concentrator's region code A1: 4 hex digits, canonical upper case. */
export function canonicalA1(a1: string): string {
  const a = a1.toUpperCase();
  if (!/^[0-9A-F]{4}$/.test(a))
    throw new AppError('METER_ADDRESS_INVALID', 'A1 must be 4 hex digits', [
      { path: 'a1', message: 'must be 4 hex digits' },
    ]);
  return a;
}
