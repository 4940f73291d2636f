import { fail } from '../common/errors.ts';

/** Broadcast address (write address, broadcast time sync). */
export const BROADCAST_ADDRESS = '999999999999';
/** Wildcard address: every nibble 0xA matches (read address, single-meter buses). */
export const WILDCARD_ADDRESS = 'AAAAAAAAAAAA';

/** A0..A5 (least significant byte first) to the 12-character address, most significant first. */
export function decodeAddress(bytes: Uint8Array, offset: number): string {
  let s = '';
  for (let i = offset + 5; i >= offset; i--) s += bytes[i].toString(16).padStart(2, '0');
  return s.toUpperCase();
}

/**
 * 12 digits (shorter ones are zero-padded on the left) to A0..A5. Nibble A is the wildcard; any
 * hex nibble is kept so that odd addresses seen on the wire round-trip.
 */
export function encodeAddress(address: string): Uint8Array {
  if (typeof address !== 'string' || !/^[0-9A-Fa-f]{1,12}$/.test(address)) {
    fail('ENCODE_INPUT_INVALID', `address "${String(address)}" is not 1-12 digits`);
  }
  const a = address.padStart(12, '0');
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) out[i] = Number.parseInt(a.slice(10 - i * 2, 12 - i * 2), 16);
  return out;
}
