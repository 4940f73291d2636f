import { A1 } from './formats.ts';
import { EMPTY, fits } from './layouts.ts';
import type { FnDef, FnLayout } from './types.ts';
import { asInt, asObject } from './validate.ts';

/** One data byte split into two nibble fields. */
function nibbles(hi: string, lo: string): FnLayout {
  return {
    size: (_b, off, end) => sized(off, 1, end),
    decode: (b, off) => ({ [hi]: b[off] >> 4, [lo]: b[off] & 0x0f }),
    encode(data) {
      const o = asObject(data, 'data');
      return Uint8Array.of((asInt(o[hi], 0, 15, hi) << 4) | asInt(o[lo], 0, 15, lo));
    },
  };
}

function byteField(name: string): FnLayout {
  return {
    size: (_b, off, end) => sized(off, 1, end),
    decode: (b, off) => ({ [name]: b[off] }),
    encode: (data) => Uint8Array.of(asInt(asObject(data, 'data')[name], 0, 255, name)),
  };
}

function sized(off: number, len: number, end: number): number {
  fits(off, len, end, 'control data');
  return len;
}

/** F31: clock sync, format A.1. */
const clock: FnLayout = {
  size: (_b, off, end) => sized(off, A1.size, end),
  decode: (b, off) => ({ clock: A1.read(b, off) }),
  encode: (data) => A1.write(asObject(data, 'data').clock),
};

/**
 * AFN 05: control commands (downlink, PW appended; the terminal answers with AFN 00). For F1/F2
 * the pn is the control round (1..8); the others address p0.
 */
export const AFN05: readonly FnDef[] = [
  // D7..D4 power-cut time in half hours (0 = until allowed to close), D3..D0 alarm delay in minutes
  { fn: 1, name: 'remote trip', down: nibbles('powerCutHalfHours', 'alarmDelayMinutes') },
  { fn: 2, name: 'allow close', down: EMPTY },
  // keep-power duration in half hours, 0 = until cancelled
  { fn: 25, name: 'keep power on', down: byteField('durationHalfHours') },
  { fn: 29, name: 'allow active reporting', down: EMPTY },
  { fn: 31, name: 'clock sync', down: clock },
  { fn: 33, name: 'keep power off (cancel keep power)', down: EMPTY },
  { fn: 37, name: 'forbid active reporting', down: EMPTY },
  { fn: 38, name: 'activate connection to master', down: EMPTY },
  { fn: 39, name: 'disconnect from master', down: EMPTY },
];
