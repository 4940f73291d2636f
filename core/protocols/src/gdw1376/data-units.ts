import { bytesToHex, concat } from '../common/bytes.ts';
import { ProtocolError } from '../common/errors.ts';
import { withMissing } from '../common/no-value.ts';
import { findFn, fnLayout } from './fn-registry.ts';
import { planUnits } from './grouping.ts';
import { fits } from './layouts.ts';
import { decodeDa, decodeDt, encodeDa, encodeDt } from './pn-fn.ts';
import type { DataItem, Direction, Pn } from './types.ts';
import { asHex } from './validate.ts';

function errorOf(e: ProtocolError): { code: string; message: string } {
  return { code: e.code, message: e.message };
}

/** One (pn, Fn) item from `o`; returns where the next item starts. */
function decodeItem(
  b: Uint8Array,
  o: number,
  end: number,
  afn: number,
  dir: Direction,
  head: { pn: Pn; fn: number; unit: number },
): { item: DataItem; next: number } {
  const def = findFn(afn, head.fn);
  const layout = fnLayout(afn, dir, head.fn);
  const base: DataItem = { pn: head.pn, fn: head.fn, name: def?.name ?? null, unit: head.unit };
  const rest = () => bytesToHex(b.subarray(o, end));
  // without a known layout the item's length is unknown: it takes the rest of the data area
  if (!layout) return { item: { ...base, raw: rest() }, next: end };
  let len: number;
  try {
    len = layout.size(b, o, end);
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return { item: { ...base, raw: rest(), error: errorOf(e) }, next: end };
  }
  // an Fn without data in this direction (every read request, login, ...) carries no data field
  if (len === 0) return { item: base, next: o };
  try {
    return { item: { ...base, data: withMissing(layout.decode(b, o, len)) }, next: o + len };
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return { item: { ...base, raw: bytesToHex(b.subarray(o, o + len)), error: errorOf(e) }, next: o + len };
  }
}

/**
 * Data units from `off` to `end`: DA DT then the data of every pn × Fn pair, points ascending,
 * Fn ascending within a point. Items are returned one per pair, tagged with their unit index.
 */
export function decodeUnits(
  b: Uint8Array,
  off: number,
  end: number,
  afn: number,
  dir: Direction,
): DataItem[] {
  const items: DataItem[] = [];
  let o = off;
  for (let unit = 0; o < end; unit++) {
    fits(o, 4, end, 'data unit identifier');
    const pns = decodeDa(b[o], b[o + 1], o);
    const fns = decodeDt(b[o + 2], b[o + 3], o + 2);
    o += 4;
    for (const pn of pns) {
      for (const fn of fns) {
        const { item, next } = decodeItem(b, o, end, afn, dir, { pn, fn, unit });
        items.push(item);
        o = next;
      }
    }
  }
  return items;
}

function itemBytes(afn: number, dir: Direction, item: DataItem): Uint8Array {
  const layout = fnLayout(afn, dir, item.fn);
  if (layout && item.data !== undefined) return layout.encode(item.data);
  if (item.raw !== undefined) return asHex(item.raw, `raw of F${item.fn}`);
  return layout ? layout.encode(undefined) : new Uint8Array(0);
}

/** Items to data units (explicit `unit` grouping when every item has one, else the fewest units). */
export function encodeUnits(items: readonly unknown[], afn: number, dir: Direction): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const u of planUnits(items)) {
    parts.push(encodeDa(u.pns), encodeDt(u.fns));
    for (const it of u.items) parts.push(itemBytes(afn, dir, it));
  }
  return concat(parts);
}
