import { concat } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { A15, type Format, NO_DATA } from './formats.ts';
import { type Field, fits, getPath } from './layouts.ts';
import type { FnLayout } from './types.ts';
import { asArray, asInt, asObject } from './validate.ts';

/**
 * Energy indications with tariffs, the layout of AFN 0C F33/F34/F129..F136 and AFN 0D
 * F161..F168 / F177..F184: [Td] | meter-read time A.15 | tariff count M | per block: total and
 * T1..TM. An M of EE (not read) is kept as null with no tariff values.
 */
export interface EnergyBlock {
  /** Sub-object name for layouts with several blocks (F33); absent = fields on the data itself. */
  key?: string;
  format: Format<number>;
  unit: 'kWh' | 'kvarh';
}

function tariffCountOf(o: Record<string, unknown>, blocks: readonly EnergyBlock[]): number | null {
  if (o.tariffCount === null) return null;
  const first = blocks[0];
  const holder = first.key ? asObject(getPath(o, first.key), first.key) : o;
  const n = asArray(getPath(holder, `tariffs_${first.unit}`), 'tariffs').length;
  // M is one binary byte; EE is the no-data marker, so keep to the 6-bit range terminals use
  if (n > 63) fail('ENCODE_INPUT_INVALID', `${n} tariffs: at most 63`);
  if (o.tariffCount !== undefined && asInt(o.tariffCount, 0, 63, 'tariffCount') !== n) {
    fail('ENCODE_INPUT_INVALID', `tariffCount ${String(o.tariffCount)} but ${n} tariff value(s)`);
  }
  return n;
}

export function tariffedLayout(prefix: Field | null, blocks: readonly EnergyBlock[]): FnLayout {
  const pre = prefix ? prefix[1].size : 0;
  const width = blocks.reduce((n, b) => n + b.format.size, 0);
  const countOf = (b: Uint8Array, off: number) => {
    const m = b[off + pre + A15.size];
    return m === NO_DATA ? 0 : m;
  };
  return {
    size(b, off, end) {
      fits(off, pre + A15.size + 1, end, 'energy header');
      const len = pre + A15.size + 1 + (countOf(b, off) + 1) * width;
      fits(off, len, end, 'energy values');
      return len;
    },
    decode(b, off) {
      const out: Record<string, unknown> = {};
      if (prefix) out[prefix[0]] = prefix[1].read(b, off);
      out.time = A15.read(b, off + pre);
      const mByte = b[off + pre + A15.size];
      out.tariffCount = mByte === NO_DATA ? null : mByte;
      const m = countOf(b, off);
      let o = off + pre + A15.size + 1;
      for (const blk of blocks) {
        const target: Record<string, unknown> = blk.key ? {} : out;
        if (blk.key) out[blk.key] = target;
        const values: (number | null)[] = [];
        for (let i = 0; i <= m; i++) values.push(blk.format.read(b, o + i * blk.format.size));
        target[`total_${blk.unit}`] = values[0];
        target[`tariffs_${blk.unit}`] = values.slice(1);
        o += (m + 1) * blk.format.size;
      }
      return out;
    },
    encode(data) {
      const o = asObject(data, 'data');
      const m = tariffCountOf(o, blocks);
      const parts: Uint8Array[] = [];
      if (prefix) parts.push(prefix[1].write(getPath(o, prefix[0])));
      parts.push(A15.write(getPath(o, 'time')), Uint8Array.of(m === null ? NO_DATA : m));
      for (const blk of blocks) {
        const holder = blk.key ? asObject(getPath(o, blk.key), blk.key) : o;
        const tariffs = asArray(getPath(holder, `tariffs_${blk.unit}`), 'tariffs');
        if (tariffs.length !== (m ?? 0))
          fail('ENCODE_INPUT_INVALID', `every block needs ${m ?? 0} tariff value(s)`);
        parts.push(
          blk.format.write(getPath(holder, `total_${blk.unit}`)),
          ...tariffs.map((t) => blk.format.write(t)),
        );
      }
      return concat(parts);
    },
  };
}
