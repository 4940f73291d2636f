import { decodeManufacturer } from '@quadmeter/protocols/mbus/index.ts';
import { TransportError } from '@quadmeter/sdk/serial';

/**
 * How an M-Bus meter is addressed, in the forms the meter archive stores:
 * - `primary` 0..250 ('0' is an unconfigured meter), written as a decimal number;
 * - `secondary` 16 hex digits: identification number (8 digits), manufacturer code (4 hex, as the
 *   2-byte code, FFFF any), version (2 hex, FF any), medium (2 hex, FF any); also the 8-digit id
 *   alone, or the id with the manufacturer's letters ('12345678@KAM').
 * A secondary address is selected with CI 52 before each read.
 */
export type MbusAddress =
  | { kind: 'primary'; a: number }
  | { kind: 'secondary'; id: string; manufacturer?: string; version?: number; medium?: number };

export function parseAddress(address: string): MbusAddress {
  if (/^(0|[1-9]\d{0,2})$/.test(address) && Number(address) <= 250)
    return { kind: 'primary', a: Number(address) };
  const full = /^(\d{8})([0-9A-Fa-f]{4})([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})$/.exec(address);
  if (full) {
    const man = Number.parseInt(full[2], 16);
    const version = Number.parseInt(full[3], 16);
    const medium = Number.parseInt(full[4], 16);
    return {
      kind: 'secondary',
      id: full[1],
      ...(man === 0xffff ? {} : { manufacturer: decodeManufacturer(man) }),
      ...(version === 0xff ? {} : { version }),
      ...(medium === 0xff ? {} : { medium }),
    };
  }
  const m = /^(\d{8})(?:@([A-Z]{3}))?$/.exec(address);
  if (m) return m[2] ? { kind: 'secondary', id: m[1], manufacturer: m[2] } : { kind: 'secondary', id: m[1] };
  throw new TransportError(
    'ADDRESS_INVALID',
    `M-Bus address ${address} is neither a primary address 0..250 nor a secondary address`,
  );
}
