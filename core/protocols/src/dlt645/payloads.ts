import { bytesToHex, concat, hexToBytes } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { errorNames, errorWord, securityErrorNames } from './control.ts';
import { FIELDS, type Fields } from './fields.ts';
import { decodeItemBytes, describeItem, encodeItem } from './items.ts';
import type { Dlt645Version, FunctionName } from './types.ts';

/**
 * Payload layouts: field names in wire order. `name?` is optional (present only when bytes are
 * left), `item` is the value of the data identifier read so far and takes the remaining bytes,
 * `item+seq` is the same followed by the 2007 follow-up frame sequence number.
 */
type Layout = readonly string[];
interface Pair {
  request: Layout;
  reply: Layout;
}

const NONE: Layout = [];
const LAYOUTS: Record<Dlt645Version, Partial<Record<FunctionName, Pair>>> = {
  '2007': {
    'broadcast-time': { request: ['time'], reply: NONE },
    read: { request: ['di', 'blocks?', 'from?'], reply: ['di', 'item'] },
    'read-follow': { request: ['di', 'seq'], reply: ['di', 'item+seq'] },
    'read-address': { request: NONE, reply: ['meterAddress'] },
    write: { request: ['di', 'password', 'operator', 'item'], reply: NONE },
    'write-address': { request: ['newAddress'], reply: NONE },
    freeze: { request: ['freeze'], reply: NONE },
    'change-baud': { request: ['baud'], reply: ['baud'] },
    'change-password': { request: ['di', 'password', 'newPassword'], reply: ['newPassword'] },
    'clear-demand': { request: ['password', 'operator'], reply: NONE },
    'clear-meter': { request: ['password', 'operator'], reply: NONE },
    'clear-events': { request: ['password', 'operator', 'eventDi'], reply: NONE },
    'relay-control': { request: ['password', 'operator', 'relay'], reply: NONE },
    // DI 07xxxxxx then ciphertext / random numbers / ESAM data (vendor and province specific): raw
    'security-auth': { request: ['di', 'item'], reply: ['di', 'item'] },
  },
  '1997': {
    'broadcast-time': { request: ['time'], reply: NONE },
    read: { request: ['di'], reply: ['di', 'item'] },
    'read-follow': { request: ['di'], reply: ['di', 'item'] },
    're-read': { request: NONE, reply: ['di', 'item'] },
    write: { request: ['di', 'password', 'item'], reply: NONE },
    'write-address': { request: ['newAddress'], reply: NONE },
    'change-baud': { request: ['baud'], reply: ['baud'] },
    'change-password': { request: ['password', 'newPassword'], reply: ['newPassword'] },
    'clear-demand': { request: ['password?'], reply: NONE },
  },
};

export interface PayloadContext {
  version: Dlt645Version;
  fn: FunctionName;
  reply: boolean;
  error: boolean;
}

function layoutOf(ctx: PayloadContext): Layout {
  const pair = LAYOUTS[ctx.version][ctx.fn];
  if (!pair) fail('FRAME_FUNCTION_UNKNOWN', `DL/T 645-${ctx.version} has no ${ctx.fn}`);
  return ctx.reply ? pair.reply : pair.request;
}

/** Data field (without +0x33) to named fields. Throws FRAME_LENGTH_INVALID when a fixed field is cut. */
export function decodePayload(data: Uint8Array, ctx: PayloadContext): Fields {
  const out: Fields = {};
  if (ctx.error) {
    const n = ctx.fn === 'security-auth' ? 2 : 1;
    if (data.length >= n) {
      out.errorCode = n === 2 ? data[0] | (data[1] << 8) : data[0];
      out.errors = n === 2 ? securityErrorNames(out.errorCode as number) : errorNames(data[0], ctx.version);
    }
    if (data.length > n) out.extra = bytesToHex(data.subarray(n));
    return out;
  }
  let o = 0;
  for (const spec of layoutOf(ctx)) {
    if (spec === 'item' || spec === 'item+seq') {
      const withSeq = spec === 'item+seq';
      if (withSeq && o >= data.length) fail('FRAME_LENGTH_INVALID', 'follow-up reply has no SEQ byte');
      const end = withSeq ? data.length - 1 : data.length;
      // a write request or reply carries a value; a read request never reaches here
      Object.assign(out, decodeItemBytes(String(out.di), data.subarray(o, end)));
      if (withSeq) out.seq = data[end];
      o = data.length;
      continue;
    }
    const optional = spec.endsWith('?');
    const codec = FIELDS[optional ? spec.slice(0, -1) : spec];
    const size = codec.size(ctx.version);
    if (o + size > data.length) {
      if (optional) break;
      fail(
        'FRAME_LENGTH_INVALID',
        `${ctx.fn} ${ctx.reply ? 'reply' : 'request'}: ${spec} needs ${size} byte(s) at ${o}, data has ${data.length}`,
      );
    }
    codec.decode(data, o, ctx.version, out);
    o += size;
  }
  if (typeof out.di === 'string' && out.item === undefined && out.raw === undefined)
    Object.assign(out, describeItem(out.di));
  if (o < data.length) out.extra = bytesToHex(data.subarray(o));
  return out;
}

/** Named fields back to the data field (without +0x33). */
export function encodePayload(input: Fields, ctx: PayloadContext): Uint8Array {
  const parts: Uint8Array[] = [];
  if (ctx.error) {
    const serr = ctx.fn === 'security-auth';
    let word = input.errorCode;
    if (word === undefined && Array.isArray(input.errors))
      word = serr ? securityErrorWord(input.errors) : errorWord(input.errors, ctx.version);
    if (typeof word !== 'number' || !Number.isInteger(word) || word < 0 || word > (serr ? 0xffff : 255)) {
      fail('ENCODE_INPUT_INVALID', `an abnormal reply needs errorCode (0-${serr ? 65535 : 255}) or errors`);
    }
    parts.push(serr ? Uint8Array.of(word & 0xff, word >> 8) : Uint8Array.of(word));
  } else {
    for (const spec of layoutOf(ctx)) {
      if (spec === 'item' || spec === 'item+seq') {
        // a null value (the meter's FF no-data fill) is a value: it encodes as FF bytes
        const value = input.value !== undefined ? input.value : (input.values ?? input.raw);
        if (value === undefined) fail('ENCODE_INPUT_INVALID', `${ctx.fn} needs value, values or raw`);
        parts.push(
          input.value === undefined && input.values === undefined
            ? hexOrEmpty(String(value))
            : encodeItem(String(input.di), value),
        );
        // bytes a meter appended after the value sit before the SEQ byte
        parts.push(hexOrEmpty(typeof input.extra === 'string' ? input.extra : ''));
        if (spec === 'item+seq') parts.push(FIELDS.seq.encode(input, ctx.version));
        return concat(parts);
      }
      const optional = spec.endsWith('?');
      const name = optional ? spec.slice(0, -1) : spec;
      if (optional && input[name] === undefined) break;
      parts.push(FIELDS[name].encode(input, ctx.version));
    }
  }
  if (typeof input.extra === 'string' && input.extra !== '') parts.push(hexToBytes(input.extra));
  return concat(parts);
}

function hexOrEmpty(hex: string): Uint8Array {
  return hex === '' ? new Uint8Array(0) : hexToBytes(hex);
}

/** 'security error bit n' names (or bit numbers 0-15) back to the SERR word. */
function securityErrorWord(errors: readonly unknown[]): number {
  let word = 0;
  for (const e of errors) {
    const m = typeof e === 'string' ? /^security error bit (\d{1,2})$/.exec(e) : null;
    const bit = typeof e === 'number' ? e : m ? Number(m[1]) : -1;
    if (!Number.isInteger(bit) || bit < 0 || bit > 15)
      fail('ENCODE_INPUT_INVALID', `unknown error "${String(e)}"`);
    word |= 1 << bit;
  }
  return word;
}
