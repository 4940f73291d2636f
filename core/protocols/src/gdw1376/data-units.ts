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

/** Bytes one typed item takes at `o`, or undefined when it is not typed or does not decode. */
function strictSize(
  b: Uint8Array,
  o: number,
  end: number,
  afn: number,
  dir: Direction,
  fn: number,
): number | undefined {
  const layout = fnLayout(afn, dir, fn);
  if (!layout) return undefined;
  try {
    const n = layout.size(b, o, end);
    if (o + n > end) return undefined;
    if (n > 0) layout.decode(b, o, n);
    return n;
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return undefined;
  }
}

/**
 * True when the bytes from `o` are exactly `pending` typed items followed by whole data units of
 * typed Fn up to `end`: then an untyped item before `o` must end at `o`.
 */
function typedToEnd(
  b: Uint8Array,
  o: number,
  end: number,
  afn: number,
  dir: Direction,
  pending: readonly number[],
): boolean {
  let at = o;
  for (const fn of pending) {
    const n = strictSize(b, at, end, afn, dir, fn);
    if (n === undefined) return false;
    at += n;
  }
  while (at < end) {
    if (at + 4 > end) return false;
    let pns: Pn[];
    let fns: number[];
    try {
      pns = decodeDa(b[at], b[at + 1], at);
      fns = decodeDt(b[at + 2], b[at + 3], at + 2);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      return false;
    }
    at += 4;
    for (let i = 0; i < pns.length; i++) {
      for (const fn of fns) {
        const n = strictSize(b, at, end, afn, dir, fn);
        if (n === undefined) return false;
        at += n;
      }
    }
  }
  return at === end;
}

/**
 * Where the data of an untyped item starting at `o` ends: the first offset from which the rest of
 * the unit (`pending` items) and every later unit decode as typed data up to `end`, so units after
 * an unknown Fn are not lost; `end` when there is none.
 */
function untypedEnd(
  b: Uint8Array,
  o: number,
  end: number,
  afn: number,
  dir: Direction,
  pending: readonly number[],
): number {
  for (let k = o; k < end; k++) if (typedToEnd(b, k, end, afn, dir, pending)) return k;
  return end;
}

/** One (pn, Fn) item from `o`; returns where the next item starts. */
function decodeItem(
  b: Uint8Array,
  o: number,
  end: number,
  afn: number,
  dir: Direction,
  head: { pn: Pn; fn: number; unit: number; pending: readonly number[] },
): { item: DataItem; next: number } {
  const def = findFn(afn, head.fn);
  const layout = fnLayout(afn, dir, head.fn);
  const base: DataItem = { pn: head.pn, fn: head.fn, name: def?.name ?? null, unit: head.unit };
  // an untyped item's length is unknown: it ends where the rest of the data decodes as typed units
  if (!layout) {
    const next = untypedEnd(b, o, end, afn, dir, head.pending);
    return { item: { ...base, raw: bytesToHex(b.subarray(o, next)) }, next };
  }
  let len: number;
  try {
    len = layout.size(b, o, end);
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return { item: { ...base, raw: bytesToHex(b.subarray(o, end)), error: errorOf(e) }, next: end };
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
    const pairs = pns.flatMap((pn) => fns.map((fn) => ({ pn, fn })));
    for (const [i, { pn, fn }] of pairs.entries()) {
      const pending = pairs.slice(i + 1).map((p) => p.fn);
      const { item, next } = decodeItem(b, o, end, afn, dir, { pn, fn, unit, pending });
      items.push(item);
      o = next;
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
