import { bytesToHex, concat } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { A16 } from './formats.ts';
import type { Direction, GdwAux } from './types.ts';
import { asHex, asInt, asObject } from './validate.ts';

/**
 * Auxiliary information at the end of the user data, in this order:
 *   downlink: PW (AFN 01/04/05/0F/10) then Tp;  uplink: EC (when ACD = 1) then Tp.
 * PW is 16 bytes in Q/GDW 1376.1 and 2 bytes in Q/GDW 130-2005 (protocol id 1).
 * Tp = PFC (1, BIN) | send time ss mm hh DD (A.16) | allowed delay in minutes (1, BIN).
 */
export interface AuxRule {
  dir: Direction;
  /** the AFN carries PW on downlink frames */
  afnPw: boolean;
  acd: boolean;
  tpv: boolean;
  protocolId: 1 | 2;
}

export const TP_SIZE = 6;
export const EC_SIZE = 2;

export function pwSize(protocolId: 1 | 2): number {
  return protocolId === 1 ? 2 : 16;
}

function hasPw(r: AuxRule): boolean {
  return r.dir === 'down' && r.afnPw;
}

function hasEc(r: AuxRule): boolean {
  return r.dir === 'up' && r.acd;
}

export function auxSize(r: AuxRule): number {
  return (hasPw(r) ? pwSize(r.protocolId) : 0) + (hasEc(r) ? EC_SIZE : 0) + (r.tpv ? TP_SIZE : 0);
}

/** Reads AUX from `start` (its size is auxSize(r)). Returns undefined when the frame has none. */
export function decodeAux(b: Uint8Array, start: number, r: AuxRule): GdwAux | undefined {
  const aux: GdwAux = {};
  let o = start;
  if (hasPw(r)) {
    aux.pw = bytesToHex(b.subarray(o, o + pwSize(r.protocolId)));
    o += pwSize(r.protocolId);
  }
  if (hasEc(r)) {
    aux.ec = { important: b[o], normal: b[o + 1] };
    o += EC_SIZE;
  }
  if (r.tpv) {
    const time = A16.read(b, o + 1);
    if (time === null) fail('FRAME_FIELD_INVALID', 'Tp send time is EE', o + 1);
    aux.tp = { pfc: b[o], time, delayMinutes: b[o + 5] };
  }
  return Object.keys(aux).length > 0 ? aux : undefined;
}

export function encodeAux(v: unknown, r: AuxRule): Uint8Array {
  const aux = v === undefined ? {} : asObject(v, 'aux');
  const parts: Uint8Array[] = [];
  if (hasPw(r)) {
    const n = pwSize(r.protocolId);
    parts.push(aux.pw === undefined ? new Uint8Array(n) : asHex(aux.pw, 'aux.pw', n));
  }
  if (hasEc(r)) {
    const ec = aux.ec === undefined ? { important: 0, normal: 0 } : asObject(aux.ec, 'aux.ec');
    parts.push(
      Uint8Array.of(asInt(ec.important, 0, 255, 'ec.important'), asInt(ec.normal, 0, 255, 'ec.normal')),
    );
  }
  if (r.tpv) {
    if (aux.tp === undefined) fail('ENCODE_INPUT_INVALID', 'seq.tpv is set but aux.tp is missing');
    const tp = asObject(aux.tp, 'aux.tp');
    if (tp.time === null) fail('ENCODE_INPUT_INVALID', 'aux.tp.time is required');
    parts.push(
      Uint8Array.of(asInt(tp.pfc, 0, 255, 'tp.pfc')),
      A16.write(tp.time),
      Uint8Array.of(asInt(tp.delayMinutes, 0, 255, 'tp.delayMinutes')),
    );
  }
  return concat(parts);
}
