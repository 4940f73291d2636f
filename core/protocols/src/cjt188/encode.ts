import { hexToBytes } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { type Data, encodeField, hexDigitsToLe } from './fields.ts';
import { buildRawFrame, hex2, isValidControl } from './frame.ts';
import { layoutsFor, pickByData } from './layouts.ts';
import { meterFamily } from './tables.ts';
import { type Cjt188EncodeInput, type Cjt188Profile, defaultProfile } from './types.ts';

function byteOf(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255) return v;
  if (typeof v === 'string' && /^[0-9A-Fa-f]{2}$/.test(v)) return Number.parseInt(v, 16);
  return fail('ENCODE_INPUT_INVALID', `${what} must be a byte (0..255 or 2 hex digits)`);
}

function encodeBody(control: number, di: string, meterType: number, data: Data): Uint8Array {
  if (data.raw !== undefined) {
    if (typeof data.raw !== 'string') fail('ENCODE_INPUT_INVALID', 'data.raw must be a hex string');
    return data.raw === '' ? new Uint8Array(0) : hexToBytes(data.raw);
  }
  const cands = layoutsFor(control, di);
  if (cands.length === 0) {
    if (Object.keys(data).length === 0) return new Uint8Array(0);
    fail('ENCODE_INPUT_INVALID', `no body layout for control ${hex2(control)} DI ${di}; give data.raw`);
  }
  const layout = pickByData(cands, data, meterFamily(meterType));
  if (!layout) {
    const keys = cands.map((l) => l.fields.map((f) => f.key).join(', ')).join(' | ');
    fail('ENCODE_INPUT_INVALID', `data for control ${hex2(control)} DI ${di} needs: ${keys}`);
  }
  const parts = layout.fields.map((f) => encodeField(f, data));
  if (data.extra !== undefined) {
    if (typeof data.extra !== 'string') fail('ENCODE_INPUT_INVALID', 'data.extra must be a hex string');
    if (data.extra !== '') parts.push(hexToBytes(data.extra));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Builds a frame from the shape decode returns. `input.diOrder` overrides the profile. */
export function encode(input: Cjt188EncodeInput, profile: Cjt188Profile = defaultProfile): Uint8Array {
  if (input === null || typeof input !== 'object') fail('ENCODE_INPUT_INVALID', 'input must be an object');
  const meterType = byteOf(input.meterType, 'meterType');
  const control = byteOf(input.control, 'control');
  if (!isValidControl(control))
    fail('ENCODE_INPUT_INVALID', `control ${hex2(control)} is not a CJ/T 188 function`);
  if (typeof input.di !== 'string' || !/^[0-9A-Fa-f]{4}$/.test(input.di))
    fail('ENCODE_INPUT_INVALID', 'di must be 4 hex digits');
  const di = input.di.toUpperCase();
  const order = input.diOrder ?? profile.diOrder;
  if (order !== 'standard' && order !== 'swapped')
    fail('ENCODE_INPUT_INVALID', 'diOrder must be standard or swapped');
  const hi = Number.parseInt(di.slice(0, 2), 16);
  const lo = Number.parseInt(di.slice(2), 16);
  const ser = byteOf(input.ser ?? 0, 'ser');
  const preamble = input.preamble ?? 0;
  if (!Number.isInteger(preamble) || preamble < 0 || preamble > 16)
    fail('ENCODE_INPUT_INVALID', 'preamble must be 0..16');
  const data = input.data ?? {};
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    fail('ENCODE_INPUT_INVALID', 'data must be an object');
  const body = encodeBody(control, di, meterType, data);
  const head = order === 'standard' ? [lo, hi, ser] : [hi, lo, ser];
  const payload = new Uint8Array(3 + body.length);
  payload.set(head);
  payload.set(body, 3);
  return buildRawFrame({
    preamble,
    meterType,
    address: hexDigitsToLe(input.address, 7, 'address'),
    control,
    payload,
  });
}
