import { bcdLeToDigits } from '../common/bcd.ts';
import { readUintLE } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import type { Direction, GdwAddress, GdwSeq } from './types.ts';
import { asBool, asInt, asObject, asString } from './validate.ts';

/** Control field C: D7 DIR, D6 PRM, D5 FCB (down) / ACD (up), D4 FCV, D3..D0 function code. */
export interface Control {
  dir: Direction;
  prm: boolean;
  fcb: boolean;
  acd: boolean;
  fcv: boolean;
  functionCode: number;
  functionName: string;
}

/** Function codes from the initiating station (PRM = 1). */
const PRM1: Record<number, string> = {
  1: 'reset',
  4: 'user data',
  9: 'link test',
  10: 'request class 1 data',
  11: 'request class 2 data',
};
/** Function codes from the responding station (PRM = 0). */
const PRM0: Record<number, string> = {
  0: 'confirm',
  8: 'user data response',
  9: 'deny: no data requested',
  11: 'link status',
};

export function functionName(prm: boolean, code: number): string {
  return (prm ? PRM1 : PRM0)[code] ?? 'reserved';
}

export function parseControl(c: number): Control {
  const dir: Direction = c & 0x80 ? 'up' : 'down';
  const prm = (c & 0x40) !== 0;
  const bit5 = (c & 0x20) !== 0;
  const functionCode = c & 0x0f;
  return {
    dir,
    prm,
    fcb: dir === 'down' && bit5,
    acd: dir === 'up' && bit5,
    fcv: (c & 0x10) !== 0,
    functionCode,
    functionName: functionName(prm, functionCode),
  };
}

export function buildControl(o: Record<string, unknown>): number {
  const dir = o.dir;
  if (dir !== 'up' && dir !== 'down') fail('ENCODE_INPUT_INVALID', `dir must be 'up' or 'down'`);
  const bit5 = dir === 'up' ? asBool(o.acd, 'acd', false) : asBool(o.fcb, 'fcb', false);
  return (
    (dir === 'up' ? 0x80 : 0) |
    (asBool(o.prm, 'prm') ? 0x40 : 0) |
    (bit5 ? 0x20 : 0) |
    (asBool(o.fcv, 'fcv', false) ? 0x10 : 0) |
    asInt(o.functionCode, 0, 15, 'functionCode')
  );
}

/** A1 region (BCD, LSB first), A2 terminal (binary LE), A3 (D0 group, D1..D7 master address). */
export function parseAddress(b: Uint8Array, off: number): GdwAddress {
  return {
    A1_region: bcdLeToDigits(b, off, 2, true),
    A2_terminal: readUintLE(b, off + 2, 2),
    A3_master: b[off + 4] >> 1,
    group: (b[off + 4] & 1) !== 0,
  };
}

export function buildAddress(v: unknown): Uint8Array {
  const o = asObject(v, 'address');
  const region = asString(o.A1_region, 'address.A1_region');
  // region codes are BCD; hex digits are accepted so that odd codes seen on the wire round-trip
  if (!/^[0-9A-Fa-f]{4}$/.test(region)) fail('ENCODE_INPUT_INVALID', `A1_region "${region}" is not 4 digits`);
  const terminal = asInt(o.A2_terminal, 0, 0xffff, 'address.A2_terminal');
  const msa = asInt(o.A3_master, 0, 127, 'address.A3_master');
  return Uint8Array.of(
    Number.parseInt(region.slice(2), 16),
    Number.parseInt(region.slice(0, 2), 16),
    terminal & 0xff,
    terminal >> 8,
    (msa << 1) | (asBool(o.group, 'address.group', false) ? 1 : 0),
  );
}

/** SEQ: D7 TpV, D6 FIR, D5 FIN, D4 CON, D3..D0 PSEQ/RSEQ. */
export function parseSeq(s: number): GdwSeq {
  return {
    tpv: (s & 0x80) !== 0,
    fir: (s & 0x40) !== 0,
    fin: (s & 0x20) !== 0,
    con: (s & 0x10) !== 0,
    pseq: s & 0x0f,
  };
}

export function buildSeq(v: unknown): number {
  const o = asObject(v, 'seq');
  return (
    (asBool(o.tpv, 'seq.tpv', false) ? 0x80 : 0) |
    (asBool(o.fir, 'seq.fir', true) ? 0x40 : 0) |
    (asBool(o.fin, 'seq.fin', true) ? 0x20 : 0) |
    (asBool(o.con, 'seq.con', false) ? 0x10 : 0) |
    asInt(o.pseq, 0, 15, 'seq.pseq')
  );
}
