import { fail } from '../common/errors.ts';
import type { Pn } from './types.ts';

/**
 * Data unit identifier: DA (DA1 bitmap, DA2 group) names up to 8 measuring points of one group,
 * DT (DT1 bitmap, DT2 group) up to 8 Fn of one group.
 *   pn = (DA2 − 1)·8 + bit + 1, DA = 00 00 is p0, DA = FF 00 is every measuring point;
 *   Fn = DT2·8 + bit + 1.
 */

export const MAX_PN = 2040;
export const MAX_FN = 248;

export function decodeDa(da1: number, da2: number, offset?: number): Pn[] {
  if (da2 === 0) {
    if (da1 === 0) return [0];
    if (da1 === 0xff) return ['all'];
    fail('FRAME_FIELD_INVALID', `DA ${hex2(da1, da2)}: DA2 = 0 allows only DA1 = 00 or FF`, offset);
  }
  if (da1 === 0) fail('FRAME_FIELD_INVALID', `DA ${hex2(da1, da2)} names no measuring point`, offset);
  const out: number[] = [];
  for (let bit = 0; bit < 8; bit++) if (da1 & (1 << bit)) out.push((da2 - 1) * 8 + bit + 1);
  return out;
}

export function decodeDt(dt1: number, dt2: number, offset?: number): number[] {
  if (dt1 === 0 || dt2 > 30) fail('FRAME_FIELD_INVALID', `DT ${hex2(dt1, dt2)} names no Fn`, offset);
  const out: number[] = [];
  for (let bit = 0; bit < 8; bit++) if (dt1 & (1 << bit)) out.push(dt2 * 8 + bit + 1);
  return out;
}

function hex2(a: number, b: number): string {
  return [a, b].map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

export function checkPn(pn: unknown): Pn {
  if (pn === 'all') return pn;
  if (typeof pn !== 'number' || !Number.isInteger(pn) || pn < 0 || pn > MAX_PN) {
    fail('ENCODE_INPUT_INVALID', `pn ${String(pn)} is not 0..${MAX_PN} or 'all'`);
  }
  return pn;
}

export function checkFn(fn: unknown): number {
  if (typeof fn !== 'number' || !Number.isInteger(fn) || fn < 1 || fn > MAX_FN) {
    fail('ENCODE_INPUT_INVALID', `Fn ${String(fn)} is not 1..${MAX_FN}`);
  }
  return fn;
}

/** DA2 of a point; p0 and 'all' stand alone (they cannot share a DA with other points). */
export function pnGroupKey(pn: Pn): string {
  if (pn === 0) return 'p0';
  if (pn === 'all') return 'all';
  return String(Math.floor((pn - 1) / 8) + 1);
}

export function fnGroup(fn: number): number {
  return Math.floor((fn - 1) / 8);
}

/** Points of one DA group to DA1 DA2. */
export function encodeDa(pns: readonly Pn[]): Uint8Array {
  if (pns.length === 0) fail('ENCODE_INPUT_INVALID', 'a data unit needs at least one pn');
  const first = checkPn(pns[0]);
  if (first === 0 || first === 'all') {
    if (pns.length !== 1) fail('ENCODE_INPUT_INVALID', 'p0 and all-points stand alone in a DA');
    return first === 0 ? Uint8Array.of(0, 0) : Uint8Array.of(0xff, 0);
  }
  const group = pnGroupKey(first);
  let da1 = 0;
  for (const p of pns) {
    const pn = checkPn(p);
    if (pn === 0 || pn === 'all' || pnGroupKey(pn) !== group) {
      fail('ENCODE_INPUT_INVALID', `pn ${pns.join(',')} are not one DA group`);
    }
    da1 |= 1 << ((pn - 1) % 8);
  }
  return Uint8Array.of(da1, Number(group));
}

/** Fn of one DT group to DT1 DT2. */
export function encodeDt(fns: readonly number[]): Uint8Array {
  if (fns.length === 0) fail('ENCODE_INPUT_INVALID', 'a data unit needs at least one Fn');
  const group = fnGroup(checkFn(fns[0]));
  let dt1 = 0;
  for (const f of fns) {
    if (fnGroup(checkFn(f)) !== group)
      fail('ENCODE_INPUT_INVALID', `F${fns.join(',F')} are not one DT group`);
    dt1 |= 1 << ((f - 1) % 8);
  }
  return Uint8Array.of(dt1, group);
}
