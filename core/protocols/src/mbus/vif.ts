import { bytesToHex, fail, need } from '../common/index.ts';
import { fbVif, fdVif } from './vif-extension.ts';
import { primaryVif, type VifEntry } from './vif-primary.ts';
import { combinableVife } from './vife.ts';

/** Walks one VIF, its plain-text unit or extension code, and the VIFE chain that follows. */

export const MAX_VIFE = 10;

export interface ParsedVif {
  /** offset just past the VIF block */
  end: number;
  /** VIF block bytes as sent, hex */
  hex: string;
  entry: VifEntry;
  /** exponent after correction-factor VIFEs */
  exponent: number;
  unit: string;
  vife: string[];
  plainUnit?: string;
  manufacturerSpecific: boolean;
}

const UNKNOWN = (code: number, table: string): VifEntry => ({
  quantity: `unknown ${table}VIF ${code.toString(16).toUpperCase().padStart(2, '0')}`,
  unit: '',
  exponent: 0,
});

const MANUFACTURER: VifEntry = { quantity: 'manufacturer specific', unit: '', exponent: 0 };

function latin1Reversed(b: Uint8Array, from: number, len: number): string {
  let s = '';
  for (let i = from + len - 1; i >= from; i--) s += String.fromCharCode(b[i]);
  return s;
}

export function parseVif(b: Uint8Array, offset: number): ParsedVif {
  need(b, offset, 1, 'VIF');
  const vif = b[offset];
  const code = vif & 0x7f;
  let o = offset + 1;
  let ext = (vif & 0x80) !== 0;
  let entry: VifEntry;
  let plainUnit: string | undefined;
  let manufacturerSpecific = false;
  let vifeCount = 0;
  if (code === 0x7c) {
    need(b, o, 1, 'plain-text VIF length');
    const len = b[o];
    need(b, o + 1, len, 'plain-text VIF');
    plainUnit = latin1Reversed(b, o + 1, len);
    o += 1 + len;
    entry = { quantity: 'plain text unit', unit: plainUnit, exponent: 0 };
  } else if ((code === 0x7b || code === 0x7d) && !ext) {
    // An extension VIF without its extension bit names no table entry; the DIF still gives the data length.
    entry = UNKNOWN(code, '');
  } else if (code === 0x7b || code === 0x7d) {
    need(b, o, 1, 'VIF extension code');
    const x = b[o];
    entry =
      (code === 0x7d ? fdVif(x & 0x7f) : fbVif(x & 0x7f)) ?? UNKNOWN(x & 0x7f, code === 0x7d ? 'FD ' : 'FB ');
    ext = (x & 0x80) !== 0;
    o++;
    vifeCount++;
  } else if (code === 0x7f) {
    entry = MANUFACTURER;
    manufacturerSpecific = true;
  } else {
    entry = primaryVif(code) ?? UNKNOWN(code, '');
  }
  let exponent = entry.exponent;
  let unit = entry.unit;
  const vife: string[] = [];
  while (ext) {
    need(b, o, 1, 'VIFE');
    if (++vifeCount > MAX_VIFE) fail('FRAME_FIELD_INVALID', `more than ${MAX_VIFE} VIFEs`, o);
    const x = b[o++];
    ext = (x & 0x80) !== 0;
    if (manufacturerSpecific) {
      vife.push(`manufacturer specific ${x.toString(16).toUpperCase().padStart(2, '0')}`);
      continue;
    }
    const effect = combinableVife(x & 0x7f);
    vife.push(effect.name);
    if (effect.exponent !== undefined) exponent += effect.exponent;
    if (effect.unitSuffix) unit += effect.unitSuffix;
    if ((x & 0x7f) === 0x7f) manufacturerSpecific = true;
  }
  return {
    end: o,
    hex: bytesToHex(b.subarray(offset, o)),
    entry,
    exponent,
    unit,
    vife,
    ...(plainUnit !== undefined ? { plainUnit } : {}),
    manufacturerSpecific: code === 0x7f,
  };
}
