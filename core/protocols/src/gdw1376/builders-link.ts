import type { Clock } from './formats.ts';
import { encodeFrame } from './frame.ts';
import type { DataItem, Direction, GdwAddress, Pn } from './types.ts';

/** Address as the builders take it: master address and group flag default to 0 / false. */
export type AddressInput = Pick<GdwAddress, 'A1_region' | 'A2_terminal'> & Partial<GdwAddress>;

export function fullAddress(a: AddressInput): GdwAddress {
  return {
    A1_region: a.A1_region,
    A2_terminal: a.A2_terminal,
    A3_master: a.A3_master ?? 0,
    group: a.group ?? false,
  };
}

/** Terminal-initiated link test (C = C9: up, PRM = 1, function 9; CON = 1; MSA = 0). */
function linkTest(addr: AddressInput, seq: number, fn: number, data?: unknown): Uint8Array {
  const unit: DataItem = data === undefined ? { pn: 0, fn } : { pn: 0, fn, data };
  return encodeFrame({
    dir: 'up',
    prm: true,
    functionCode: 9,
    address: { ...fullAddress(addr), A3_master: 0, group: false },
    afn: 0x02,
    seq: { tpv: false, fir: true, fin: true, con: true, pseq: seq },
    units: [unit],
  });
}

/** AFN 02 F1: the terminal logs in after connecting. */
export function buildLogin(addr: AddressInput, seq: number): Uint8Array {
  return linkTest(addr, seq, 1);
}

/** AFN 02 F2: the terminal logs out. */
export function buildLogout(addr: AddressInput, seq: number): Uint8Array {
  return linkTest(addr, seq, 2);
}

/** AFN 02 F3: heartbeat, optionally carrying the terminal clock ('YYYY-MM-DD HH:MM:SS' or A.1 clock). */
export function buildHeartbeat(addr: AddressInput, seq: number, clock?: string | Clock): Uint8Array {
  return linkTest(addr, seq, 3, clock === undefined ? undefined : { clock });
}

export interface ConfirmOptions {
  /** 'down' (default): the master answers a terminal; 'up': the terminal answers the master. */
  dir?: Direction;
  /** control function code; default 11 (link status) downlink, 0 (confirm) / 9 (deny) uplink */
  functionCode?: number;
}

export interface ConfirmItem {
  pn: Pn;
  fn: number;
  /** AFN 00 F3 error code, 0 = confirmed */
  err?: number;
}

/**
 * AFN 00 answer builder: F1 / F2 (`allFn`) for the whole request, or F3 per data unit when `afn` and
 * `items` are given, each item's err defaulting to `defaultErr`.
 */
function answerBuilder(allFn: 1 | 2, defaultErr: number) {
  return (
    addr: AddressInput,
    seq: number,
    afn?: string | number,
    items?: readonly ConfirmItem[],
    opts: ConfirmOptions = {},
  ): Uint8Array => {
    const dir = opts.dir ?? 'down';
    const functionCode = opts.functionCode ?? (dir === 'down' ? 11 : allFn === 1 ? 0 : 9);
    const perUnit = afn !== undefined && items !== undefined && items.length > 0;
    const afnText = typeof afn === 'number' ? afn.toString(16).padStart(2, '0').toUpperCase() : afn;
    const unit: DataItem = perUnit
      ? {
          pn: 0,
          fn: 3,
          data: {
            afn: afnText,
            items: items.map((i) => ({ pns: [i.pn], fns: [i.fn], err: i.err ?? defaultErr })),
          },
        }
      : { pn: 0, fn: allFn };
    return encodeFrame({
      dir,
      prm: false,
      functionCode,
      address: fullAddress(addr),
      afn: 0x00,
      seq: { tpv: false, fir: true, fin: true, con: false, pseq: seq },
      units: [unit],
    });
  };
}

/**
 * AFN 00 confirm: F1 (all confirmed), or F3 per data unit when `afn` and `items` are given
 * (e.g. the master's answer to a heartbeat: afn '02', items [{ pn: 0, fn: 3 }]).
 */
export const buildConfirm = answerBuilder(1, 0);

/** AFN 00 deny: F2 (all denied), or F3 per data unit with each item's err (default 1). */
export const buildDeny = answerBuilder(2, 1);
