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

/**
 * The meter's communication address in its canonical form (hex upper-cased), or
 * METER_ADDRESS_INVALID naming the protocol's rule.
 */
export function canonicalAddress(protocol: MeterProtocol, address: string, field = 'commAddress'): string {
  const a = address.toUpperCase();
  const r = rules[protocol];
  if (!r.test(a) || r.reserved?.includes(a)) {
    throw new AppError('METER_ADDRESS_INVALID', `${protocol} address must be ${r.rule}`, [
      {
        path: field,
        message: `must be ${r.rule}${r.reserved ? ', not a broadcast or wildcard address' : ''}`,
      },
    ]);
  }
  return a;
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
