import { bcdLeToDigits } from '../common/bcd.ts';
import { bytesToHex } from '../common/bytes.ts';
import { BROADCAST_ADDRESS } from './builders.ts';
import { type Data, decodeField, fieldSize } from './fields.ts';
import { hex2, parseRawFrame } from './frame.ts';
import { layoutsFor, pickByLength, pickByPrefix } from './layouts.ts';
import { diNames, functionNames, isKnownDi, meterFamily, meterTypeNames } from './tables.ts';
import type { Cjt188Frame, DiOrder } from './types.ts';

/** Reads DI0 DI1 in either order: the one that names a known identifier wins, else `standard`. */
export function detectDi(di0: number, di1: number): { di: string; diOrder: DiOrder } {
  const standard = (di1 << 8) | di0;
  const swapped = (di0 << 8) | di1;
  if (!isKnownDi(standard) && isKnownDi(swapped)) return { di: hex2(di0) + hex2(di1), diOrder: 'swapped' };
  return { di: hex2(di1) + hex2(di0), diOrder: 'standard' };
}

function decodeBody(control: number, di: string, meterType: number, body: Uint8Array): Data {
  const cands = layoutsFor(control, di);
  if (cands.length === 0) return body.length === 0 ? {} : { raw: bytesToHex(body) };
  const family = meterFamily(meterType);
  const layout = pickByLength(cands, body.length, family) ?? pickByPrefix(cands, body.length, family);
  if (!layout) return { raw: bytesToHex(body) };
  const out: Data = {};
  const missing: string[] = [];
  let off = 0;
  for (const f of layout.fields) {
    decodeField(f, body, off, out, missing);
    off += fieldSize(f);
  }
  if (off < body.length) out.extra = bytesToHex(body.subarray(off));
  if (missing.length > 0) out.missing = missing;
  return out;
}

/** Decodes one complete CJ/T 188-2004 frame (optional FE preamble). Throws only ProtocolError. */
export function decode(bytes: Uint8Array): Cjt188Frame {
  const raw = parseRawFrame(bytes);
  const p = raw.payload;
  const { di, diOrder } = detectDi(p[0], p[1]);
  const address = bcdLeToDigits(raw.address, 0, 7, true);
  return {
    protocol: 'cjt188',
    preamble: raw.preamble,
    meterType: raw.meterType,
    meterTypeName: meterTypeNames[raw.meterType] ?? null,
    address,
    ...(address === BROADCAST_ADDRESS ? { broadcast: true as const } : {}),
    control: hex2(raw.control),
    function: functionNames[raw.control & 0x3f],
    direction: raw.control & 0x80 ? 'slave->master' : 'master->slave',
    error: (raw.control & 0x40) !== 0,
    length: p.length,
    di,
    diName: diNames[di] ?? null,
    diOrder,
    ser: p[2],
    checksum: hex2(raw.checksum),
    data: decodeBody(raw.control, di, raw.meterType, p.subarray(3)),
  };
}
