import { concat, fail } from '../common/index.ts';
import { BAUD_RATES } from './ci.ts';
import { encodeLongHeader, encodeShortHeader, type HeaderInput } from './header.ts';
import { ACK, buildLongFrame, buildShortFrame } from './link.ts';
import { encodeRecords, type RecordsInput } from './record-encode.ts';
import { encodeSelect, type SelectInput } from './select.ts';

/** Master and slave frames of EN 13757-2/-3 for the common exchanges. */

const C_SND_NKE = 0x40;
const C_SND_UD = 0x53;
const C_REQ_UD1 = 0x5a;
const C_REQ_UD2 = 0x5b;
const C_RSP_UD = 0x08;
const FCB = 0x20;
export const NETWORK_LAYER_ADDRESS = 0xfd;

function address(a: number): number {
  if (!Number.isInteger(a) || a < 0 || a > 255 || (a > 250 && a < 253)) {
    fail('ENCODE_INPUT_INVALID', `address ${a} is not 0..250, 253, 254 or 255`);
  }
  return a;
}

/** E5: positive acknowledge from a slave. */
export function buildAck(): Uint8Array {
  return Uint8Array.of(ACK);
}

/** SND_NKE: link reset / deselect (10 40 A CS 16). */
export function buildSndNke(a: number): Uint8Array {
  return buildShortFrame(C_SND_NKE, address(a));
}

/** REQ_UD2: request class 2 data; `fcb` alternates between successive requests. */
export function buildReqUd2(a: number, fcb = false): Uint8Array {
  return buildShortFrame(C_REQ_UD2 | (fcb ? FCB : 0), address(a));
}

/** REQ_UD1: request class 1 (alarm) data. */
export function buildReqUd1(a: number, fcb = false): Uint8Array {
  return buildShortFrame(C_REQ_UD1 | (fcb ? FCB : 0), address(a));
}

/** Select a slave by secondary address (SND_UD to FD, CI 52); F nibbles / omitted fields are wildcards. */
export function buildSelectSecondary(sel: SelectInput): Uint8Array {
  return buildLongFrame(C_SND_UD, NETWORK_LAYER_ADDRESS, 0x52, encodeSelect(sel));
}

/** SND_UD with CI 51 and data records (for example a write). */
export function buildSndUd(a: number, records: RecordsInput, fcb = false): Uint8Array {
  return buildLongFrame(C_SND_UD | (fcb ? FCB : 0), address(a), 0x51, encodeRecords(records));
}

/** Write a new primary address: SND_UD, CI 51, DIF 01, VIF 7A, address. */
export function buildSetPrimaryAddress(a: number, newAddress: number): Uint8Array {
  if (!Number.isInteger(newAddress) || newAddress < 0 || newAddress > 250) {
    fail('ENCODE_INPUT_INVALID', `new primary address ${newAddress} is not 0..250`);
  }
  return buildLongFrame(C_SND_UD, address(a), 0x51, Uint8Array.of(0x01, 0x7a, newAddress));
}

/** Switch the slave's baud rate (control frame, CI B8..BF). */
export function buildSetBaudRate(a: number, baud: number): Uint8Array {
  const i = (BAUD_RATES as readonly number[]).indexOf(baud);
  if (i < 0) fail('ENCODE_INPUT_INVALID', `baud rate ${baud} is not one of ${BAUD_RATES.join(', ')}`);
  return buildLongFrame(C_SND_UD, address(a), 0xb8 + i);
}

/** Application reset (control frame, CI 50). */
export function buildApplicationReset(a: number): Uint8Array {
  return buildLongFrame(C_SND_UD, address(a), 0x50);
}

export interface RspUdInput extends RecordsInput {
  a: number;
  header: HeaderInput;
  /** 72 (long header, default) or 7A (short header) */
  ci?: 0x72 | 0x7a;
  acd?: boolean;
  dfc?: boolean;
}

/** RSP_UD from a slave: variable data structure with header and records. */
export function buildRspUd(r: RspUdInput): Uint8Array {
  const ci = r.ci ?? 0x72;
  const header = ci === 0x7a ? encodeShortHeader(r.header) : encodeLongHeader(r.header);
  const c = C_RSP_UD | (r.acd ? 0x20 : 0) | (r.dfc ? 0x10 : 0);
  return buildLongFrame(c, address(r.a), ci, concat([header, encodeRecords(r)]));
}
