import { bytesToHex, hexToBytes, reversed } from '../common/bytes.ts';
import { fail, ProtocolError } from '../common/errors.ts';
import { missingPaths } from '../common/no-value.ts';
import { TABLE } from './di-table.ts';
import { decodeBlock, decodeFmt, encodeFmt, fmtSize } from './formats.ts';
import type { DecodedItem, Dlt645Version, ItemDef } from './types.ts';

export function lookupItem(di: string): ItemDef | undefined {
  return TABLE.get(di.toUpperCase());
}

/** Every data identifier the codec knows, both editions. */
export function allItems(): ItemDef[] {
  return [...TABLE.values()];
}

/** '00010000' → wire bytes 00 00 01 00 (DI0 first); 4 hex digits for 1997, 8 for 2007. */
export function diToBytes(di: string): Uint8Array {
  if (typeof di !== 'string' || !/^([0-9A-Fa-f]{4}|[0-9A-Fa-f]{8})$/.test(di)) {
    fail('ENCODE_INPUT_INVALID', `data identifier "${String(di)}" is not 4 (1997) or 8 (2007) hex digits`);
  }
  return reversed(hexToBytes(di));
}

export function diFromBytes(b: Uint8Array, offset: number, version: Dlt645Version): string {
  const n = version === '2007' ? 4 : 2;
  return bytesToHex(reversed(b.subarray(offset, offset + n)));
}

export function diVersion(di: string): Dlt645Version {
  return di.length === 4 ? '1997' : '2007';
}

/** Name and unit of a data identifier without a value (read requests). */
export function describeItem(di: string): DecodedItem {
  const def = lookupItem(di);
  return def ? { di: def.di, item: def.name, itemZh: def.nameZh, unit: def.unit } : { di: di.toUpperCase() };
}

/**
 * Value bytes of one data identifier (after the DI, +0x33 already removed) to its value. Unknown
 * identifiers give `raw` and no value; bytes a known item cannot hold give `valueError` and `raw`.
 * Bytes beyond the item's fixed length are reported in `extra` (some meters append one).
 */
export function decodeItemBytes(di: string, b: Uint8Array): DecodedItem {
  const out = describeItem(di);
  const def = lookupItem(di);
  if (!def) {
    out.raw = bytesToHex(b);
    return out;
  }
  try {
    if (def.fmt.t === 'block') {
      const { values, used } = decodeBlock(def.fmt, b, 0, b.length);
      out.values = values;
      if (used < b.length) out.extra = bytesToHex(b.subarray(used));
    } else {
      const size = fmtSize(def.fmt);
      if (b.length < size) fail('FRAME_FIELD_INVALID', `${def.di} needs ${size} bytes, got ${b.length}`);
      out.value = decodeFmt(def.fmt, b, 0);
      if (b.length > size) out.extra = bytesToHex(b.subarray(size));
    }
    const missing = missingPaths(out.values !== undefined ? { values: out.values } : { value: out.value });
    if (missing.length > 0) out.missing = missing;
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    delete out.values;
    delete out.value;
    delete out.extra;
    out.valueError = e.message;
    out.raw = bytesToHex(b);
  }
  return out;
}

/** Same as decodeItemBytes with the value bytes as hex (wire order, +0x33 removed). */
export function decodeItem(di: string, dataHex: string): DecodedItem {
  return decodeItemBytes(di, dataHex === '' ? new Uint8Array(0) : hexToBytes(dataHex));
}

/**
 * A value (as decodeItem gives it: number, string, record, or the block's values object/array)
 * to the item's bytes. For an unknown identifier the value must be the raw bytes as hex.
 */
export function encodeItem(di: string, value: unknown): Uint8Array {
  const def = lookupItem(di);
  if (!def) {
    if (typeof value === 'string') return value === '' ? new Uint8Array(0) : hexToBytes(value);
    fail('ENCODE_INPUT_INVALID', `unknown data identifier ${di}: give the value as raw hex`);
  }
  return encodeFmt(def.fmt, value);
}
