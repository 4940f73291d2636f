import { concat, fail, hexToBytes } from '../common/index.ts';
import { encodeFixed, type FixedInput } from './fixed.ts';
import { encodeLongHeader, encodeShortHeader, type HeaderInput } from './header.ts';
import { ACK, buildLongFrame, buildShortFrame } from './link.ts';
import { encodeRecords, type RecordsInput } from './record-encode.ts';
import { encodeSelect, type SelectInput } from './select.ts';
import type { FrameKind } from './types.ts';

/** What codec.encode takes: the shape decode returns (extra fields ignored). */
export interface FrameInput extends RecordsInput {
  kind: FrameKind;
  /** C-field, hex string as decode gives it, or a number */
  c?: string | number;
  a?: number;
  ci?: string | number;
  header?: HeaderInput;
  fixed?: FixedInput;
  select?: SelectInput;
  /** user data after CI, hex; used when the CI has no structured form here */
  data?: string;
}

function byteField(v: string | number | undefined, what: string): number {
  if (v === undefined) fail('ENCODE_INPUT_INVALID', `${what} is missing`);
  const n = typeof v === 'number' ? v : /^[0-9A-Fa-f]{1,2}$/.test(v) ? Number.parseInt(v, 16) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 255) fail('ENCODE_INPUT_INVALID', `${what} "${v}" is not a byte`);
  return n;
}

/** User data for a CI from its structured form, or from `data` hex. */
function userData(ci: number, f: FrameInput): Uint8Array {
  const header = f.header;
  if ((ci === 0x72 && header) || (ci === 0x7a && header) || ci === 0x78 || ci === 0x51) {
    if (
      f.records ||
      f.manufacturerData !== undefined ||
      f.fillers ||
      f.moreRecordsFollow ||
      header ||
      f.data === undefined
    ) {
      const head =
        ci === 0x72
          ? encodeLongHeader(header!)
          : ci === 0x7a
            ? encodeShortHeader(header!)
            : new Uint8Array(0);
      return concat([head, encodeRecords(f)]);
    }
  }
  if (ci === 0x73 && f.fixed) {
    const tail = f.manufacturerData ? hexToBytes(String(f.manufacturerData)) : new Uint8Array(0);
    return concat([encodeFixed(f.fixed), tail]);
  }
  if (ci === 0x52 && f.select) return encodeSelect(f.select);
  if (f.data !== undefined && typeof f.data !== 'string')
    fail('ENCODE_INPUT_INVALID', 'data must be a hex string');
  return f.data ? hexToBytes(f.data) : new Uint8Array(0);
}

export function encode(f: FrameInput): Uint8Array {
  if (!f || typeof f !== 'object') fail('ENCODE_INPUT_INVALID', 'frame input must be an object');
  switch (f.kind) {
    case 'ack':
      return Uint8Array.of(ACK);
    case 'short':
      return buildShortFrame(byteField(f.c, 'C-field'), byteField(f.a, 'address'));
    case 'control':
    case 'long': {
      const ci = byteField(f.ci, 'CI-field');
      const data = f.kind === 'control' ? new Uint8Array(0) : userData(ci, f);
      if (f.kind === 'long' && data.length === 0)
        fail('ENCODE_INPUT_INVALID', 'a long frame needs user data');
      return buildLongFrame(byteField(f.c, 'C-field'), byteField(f.a, 'address'), ci, data);
    }
    default:
      return fail(
        'ENCODE_INPUT_INVALID',
        `kind must be ack, short, control or long, got "${String((f as { kind?: unknown }).kind)}"`,
      );
  }
}
