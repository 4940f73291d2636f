import { fail } from '../common/errors.ts';
import { encodeUnits } from './data-units.ts';
import { afnCode, decodeFrame, encodeFrame, MAX_USER_DATA, MIN_USER_DATA } from './frame.ts';
import { planUnits } from './grouping.ts';
import type { DataItem, GdwFrame, GdwFrameInput } from './types.ts';

/** A reassembled multi-frame reply: the first frame's header with every frame's data items. */
export type AssembledFrame = GdwFrame & { frameCount: number };

function seqErr(msg: string): never {
  return fail('FRAME_FIELD_INVALID', `multi-frame: ${msg}`);
}

/**
 * Joins the frames of one multi-frame reply (FIR on the first, FIN on the last, neither in the
 * middle, RSEQ counting up by one modulo 16, same address/AFN/direction). Throws
 * FRAME_FIELD_INVALID when they are out of order, incomplete or mixed.
 */
export function assembleMultiFrame(frames: readonly (GdwFrame | Uint8Array)[]): AssembledFrame {
  if (frames.length === 0) seqErr('no frames');
  const list = frames.map((f) => (f instanceof Uint8Array ? decodeFrame(f) : f));
  const first = list[0];
  const same = (f: GdwFrame) =>
    f.afn === first.afn && f.dir === first.dir && JSON.stringify(f.address) === JSON.stringify(first.address);
  const units: DataItem[] = [];
  let unitBase = 0;
  list.forEach((f, i) => {
    const last = i === list.length - 1;
    if (f.seq.fir !== (i === 0)) seqErr(`frame ${i + 1} has FIR=${f.seq.fir}`);
    if (f.seq.fin !== last)
      seqErr(last ? 'last frame lacks FIN (reply incomplete)' : `frame ${i + 1} has FIN`);
    if (f.seq.pseq !== (first.seq.pseq + i) % 16)
      seqErr(`frame ${i + 1} has sequence ${f.seq.pseq}, expected ${(first.seq.pseq + i) % 16}`);
    if (!same(f)) seqErr(`frame ${i + 1} is from another terminal, AFN or direction`);
    const count = f.units.reduce((n, u) => Math.max(n, (u.unit ?? 0) + 1), 0);
    for (const u of f.units) units.push({ ...u, unit: unitBase + (u.unit ?? 0) });
    unitBase += count;
  });
  const lastFrame = list[list.length - 1];
  const out: AssembledFrame = { ...first, seq: { ...first.seq, fin: true }, units, frameCount: list.length };
  if (lastFrame.aux) out.aux = lastFrame.aux;
  return out;
}

/**
 * Encodes `base` with `items`, split into as many frames as needed to keep each frame's user data
 * within `maxUserData`. Data units are never split; frames are numbered from base.seq.pseq.
 */
export function encodeSplit(
  base: GdwFrameInput,
  items: readonly DataItem[],
  maxUserData = MAX_USER_DATA,
): Uint8Array[] {
  const overhead = encodeFrame({ ...base, units: [], seq: { ...base.seq, fir: true, fin: true } }).length - 8;
  const room = Math.min(maxUserData, MAX_USER_DATA) - overhead;
  if (room <= 0 || maxUserData < MIN_USER_DATA)
    fail('ENCODE_INPUT_INVALID', `maxUserData ${maxUserData} leaves no room for data`);
  const afn = afnCode(base.afn);
  const sizeOf = (items: DataItem[]) =>
    encodeUnits(
      items.map((it) => ({ ...it, unit: 0 })),
      afn,
      base.dir,
    ).length;
  // a data unit cannot span frames: one too big for a frame is cut into one unit per point
  const units = planUnits(items).flatMap((plan) =>
    plan.pns.length > 1 && sizeOf(plan.items) > room
      ? plan.pns.map((pn) => plan.items.filter((i) => i.pn === pn))
      : [plan.items],
  );
  const chunks: DataItem[][] = [[]];
  let used = 0;
  units.forEach((unitItems, unit) => {
    const size = sizeOf(unitItems);
    if (used + size > room && chunks[chunks.length - 1].length > 0) {
      chunks.push([]);
      used = 0;
    }
    chunks[chunks.length - 1].push(...unitItems.map((it) => ({ ...it, unit })));
    used += size;
  });
  return chunks.map((units, i) =>
    encodeFrame({
      ...base,
      units,
      seq: { ...base.seq, fir: i === 0, fin: i === chunks.length - 1, pseq: (base.seq.pseq + i) % 16 },
    }),
  );
}
