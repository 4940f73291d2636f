import { concat } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';
import { A1 } from './formats.ts';
import { EMPTY } from './layouts.ts';
import { decodeDa, decodeDt, encodeDa, encodeDt } from './pn-fn.ts';
import type { FnDef, FnLayout } from './types.ts';
import { asArray, asInt, asObject, asString } from './validate.ts';

/** AFN 00 F3 error codes. */
export const ERR_NAMES: Record<number, string> = {
  0: 'ok',
  1: 'relay command got no reply',
  2: 'invalid setting',
  3: 'insufficient password permission',
  4: 'no such data',
  5: 'command time expired',
};

export interface ConfirmEntry {
  pns: (number | 'all')[];
  fns: number[];
  err: number;
  errName: string;
}

/** AFN 00 F3: confirmed AFN (1) then per data unit identifier DA DT ERR (5 each). */
const perUnit: FnLayout = {
  size(_b, off, end) {
    const len = end - off;
    if (len < 1 || (len - 1) % 5 !== 0) fail('FRAME_FIELD_INVALID', `AFN 00 F3 data of ${len} byte(s)`, off);
    return len;
  },
  decode(b, off, len) {
    const items: ConfirmEntry[] = [];
    for (let o = off + 1; o < off + len; o += 5) {
      const err = b[o + 4];
      items.push({
        pns: decodeDa(b[o], b[o + 1], o),
        fns: decodeDt(b[o + 2], b[o + 3], o + 2),
        err,
        errName: ERR_NAMES[err] ?? 'reserved',
      });
    }
    return { afn: b[off].toString(16).padStart(2, '0').toUpperCase(), items };
  },
  encode(data) {
    const o = asObject(data, 'data');
    const afn = asString(o.afn, 'data.afn');
    if (!/^[0-9A-Fa-f]{2}$/.test(afn)) fail('ENCODE_INPUT_INVALID', `data.afn "${afn}" is not 2 hex digits`);
    const parts: Uint8Array[] = [Uint8Array.of(Number.parseInt(afn, 16))];
    for (const [i, raw] of asArray(o.items, 'data.items').entries()) {
      const it = asObject(raw, `data.items[${i}]`);
      const pns = asArray(it.pns, 'pns') as (number | 'all')[];
      const fns = asArray(it.fns, 'fns') as number[];
      parts.push(encodeDa(pns), encodeDt(fns), Uint8Array.of(asInt(it.err, 0, 255, 'err')));
    }
    return concat(parts);
  },
};

/** AFN 00: confirm/deny. */
export const AFN00: readonly FnDef[] = [
  { fn: 1, name: 'all confirmed', down: EMPTY, up: EMPTY },
  { fn: 2, name: 'all denied', down: EMPTY, up: EMPTY },
  { fn: 3, name: 'confirm/deny per data unit', down: perUnit, up: perUnit },
];

/** Heartbeat data: none, or (in some deployments) the terminal clock in format A.1. */
const heartbeat: FnLayout = {
  size: (_b, off, end) => (end - off >= A1.size ? A1.size : 0),
  decode: (b, off, len) => (len === 0 ? {} : { clock: A1.read(b, off) }),
  encode(data) {
    const o = data === undefined ? {} : asObject(data, 'data');
    return o.clock === undefined ? new Uint8Array(0) : A1.write(o.clock);
  },
};

/** AFN 02: link interface test, sent by the terminal (C = C9, CON = 1), answered with AFN 00. */
export const AFN02: readonly FnDef[] = [
  { fn: 1, name: 'login', up: EMPTY, down: EMPTY },
  { fn: 2, name: 'logout', up: EMPTY, down: EMPTY },
  { fn: 3, name: 'heartbeat', up: heartbeat, down: EMPTY },
];
