import { yuanToFen } from '../../utils/money.ts';

/** The index after moving `delta` in a list of `length` items, clamped to the ends. */
export function moveIndex(index: number, delta: number, length: number): number {
  if (length === 0) return -1;
  return Math.min(length - 1, Math.max(0, index + delta));
}

export interface TenderInput {
  method: 'cash' | 'card';
  amountYuan: string;
  tenderedYuan: string;
  terminalRef: string;
}

export type TenderCheck =
  | { ok: true; amountFen: string; tenderedFen?: string; changeFen: string }
  | { ok: false; reason: 'badAmount' | 'shortTender' | 'terminalRef' };

/** Checks the counter form the way the server will, so a mistake is shown before submitting. */
export function checkTender(i: TenderInput): TenderCheck {
  const amount = yuanToFen(i.amountYuan);
  if (amount === null || BigInt(amount) <= 0n) return { ok: false, reason: 'badAmount' };
  if (i.method === 'card') {
    if (!/^[0-9A-Za-z-]{1,64}$/.test(i.terminalRef.trim())) return { ok: false, reason: 'terminalRef' };
    return { ok: true, amountFen: amount, changeFen: '0' };
  }
  const tendered = i.tenderedYuan.trim() === '' ? amount : yuanToFen(i.tenderedYuan);
  if (tendered === null) return { ok: false, reason: 'badAmount' };
  if (BigInt(tendered) < BigInt(amount)) return { ok: false, reason: 'shortTender' };
  return {
    ok: true,
    amountFen: amount,
    tenderedFen: tendered,
    changeFen: (BigInt(tendered) - BigInt(amount)).toString(),
  };
}
