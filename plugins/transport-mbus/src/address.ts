import { TransportError } from '@quadmeter/sdk/serial';

/**
 * How an M-Bus meter is addressed: `primary` 1..250 (the address written as a decimal number,
 * '1'…'250'), or `secondary` by its 8-digit identification number, optionally followed by its
 * manufacturer code ('12345678' or '12345678@KAM'), selected with CI 52 before each read.
 */
export type MbusAddress =
  | { kind: 'primary'; a: number }
  | { kind: 'secondary'; id: string; manufacturer?: string };

export function parseAddress(address: string): MbusAddress {
  if (/^\d{1,3}$/.test(address)) {
    const a = Number(address);
    if (a >= 1 && a <= 250) return { kind: 'primary', a };
  }
  const m = /^(\d{8})(?:@([A-Z]{3}))?$/.exec(address);
  if (m) return m[2] ? { kind: 'secondary', id: m[1], manufacturer: m[2] } : { kind: 'secondary', id: m[1] };
  throw new TransportError(
    'ADDRESS_INVALID',
    `M-Bus address ${address} is neither a primary address 1..250 nor an 8-digit id`,
  );
}
