import type { FrameExtractor } from '../../../protocols/src/common/extractor.ts';
import * as dlt645 from '../../../protocols/src/dlt645/index.ts';
import type { Dlt645Frame, RelayAction } from '../../../protocols/src/dlt645/types.ts';
import type { BusDevice } from '../bus/bus-device.ts';
import { fromWallTime } from '../time/wall-time.ts';
import { value1997, value2007 } from './dlt645-values.ts';
import type { ElectricityMeter } from './electricity-meter.ts';
import type { FreezePattern, MeterRefusal, RelayCommand } from './electricity-types.ts';

const RELAY: Record<RelayAction, RelayCommand> = {
  trip: 'trip',
  'allow-close': 'close-allowed',
  'direct-close': 'close',
  alarm: 'alarm',
  'alarm-clear': 'alarm-clear',
  'keep-power': 'keep-power',
  'keep-power-clear': 'keep-power-clear',
};

/** 2007 error word bits: 0 other error, 1 no data requested, 2 password / unauthorised. */
const ERR_OTHER = 0x01;
const ERR_NO_DATA = 0x02;
const ERR_UNAUTHORISED = 0x04;

/** Per-nibble match; an `A` nibble in the request matches any digit. */
export function dlt645AddressMatches(requested: string, own: string): boolean {
  if (requested.length !== own.length) return false;
  for (let i = 0; i < requested.length; i++) {
    const r = requested[i].toUpperCase();
    if (r !== 'A' && r !== own[i]) return false;
  }
  return true;
}

/** 'YYYY-MM-DD hh:mm[:ss]' meter wall time → epoch ms. */
export function parseMeterTime(text: string, offsetMin: number): number | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?$/.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0));
  return fromWallTime({ year, month, day, hour, minute, second }, offsetMin);
}

/** '99DDhhmm' / '9999hhmm' / '999999mm' / '99999999' → freeze pattern. */
export function parseFreezePattern(p: string): FreezePattern | undefined {
  const [mo, dd, hh, mm] = [0, 2, 4, 6].map((i) => p.slice(i, i + 2));
  if (p === '99999999') return { kind: 'instant' };
  if (mo !== '99') return undefined;
  if (dd === '99' && hh === '99') return { kind: 'hourly', minute: Number(mm) };
  if (dd === '99') return { kind: 'daily', hour: Number(hh), minute: Number(mm) };
  return { kind: 'monthly', day: Number(dd), hour: Number(hh), minute: Number(mm) };
}

/**
 * A DL/T 645 electricity meter on the bus. Answers reads of the identifiers its model knows
 * (abnormal reply "no data requested" for the rest), read-address on the wildcard, freeze,
 * relay control and a few writes; takes broadcast time sync and broadcast freeze silently.
 */
export class Dlt645Device implements BusDevice {
  readonly protocol = 'dlt645';
  readonly meter: ElectricityMeter;
  readonly latencyMs: number;
  /** FE wake-up bytes before each reply */
  readonly preamble: number;

  constructor(meter: ElectricityMeter, latencyMs = 20, preamble = 4) {
    this.meter = meter;
    this.latencyMs = latencyMs;
    this.preamble = preamble;
  }

  get label(): string {
    return `dlt645-${this.meter.variant} ${this.meter.address}`;
  }

  createExtractor(): FrameExtractor {
    return dlt645.extractor();
  }

  handle(bytes: Uint8Array): Uint8Array | null {
    const f = dlt645.decodeFrame(bytes, { version: this.meter.variant });
    if (f.direction !== 'master->slave' || f.version !== this.meter.variant) return null;
    const broadcast = f.address === dlt645.BROADCAST_ADDRESS;
    if (!broadcast && !dlt645AddressMatches(f.address, this.meter.address)) return null;
    this.meter.advance();
    const reply = this.dispatch(f, broadcast);
    return reply && this.preamble > 0 ? withPreamble(reply, this.preamble) : reply;
  }

  private dispatch(f: Dlt645Frame, broadcast: boolean): Uint8Array | null {
    const m = this.meter;
    const v = m.variant;
    switch (f.function) {
      case 'broadcast-time': {
        const at = typeof f.time === 'string' ? parseMeterTime(f.time, m.utcOffsetMin) : undefined;
        // meters that correct only a small drift by broadcast ignore a larger one
        const window = m.broadcastWindowMs;
        if (at !== undefined && (window === undefined || Math.abs(at - m.meterNow()) <= window))
          m.setMeterTime(at);
        return null;
      }
      case 'read': {
        if (broadcast || typeof f.di !== 'string') return null;
        const value = v === '2007' ? value2007(m, f.di) : value1997(m, f.di);
        if (value === undefined) return dlt645.buildErrorReply(m.address, 'read', ERR_NO_DATA, v);
        return dlt645.buildReadReply(m.address, f.di, value, { version: v });
      }
      case 'read-address':
        return dlt645.encodeFrame({
          address: m.address,
          function: 'read-address',
          direction: 'slave->master',
          version: '2007',
          meterAddress: m.address,
        });
      case 'freeze': {
        const pattern = f.freeze ? parseFreezePattern(f.freeze.pattern) : undefined;
        if (pattern) m.freeze(pattern);
        if (broadcast) return null;
        return pattern ? this.ok('freeze') : dlt645.buildErrorReply(m.address, 'freeze', ERR_OTHER, v);
      }
      case 'relay-control': {
        if (broadcast) return null;
        const cmd = RELAY[f.action as RelayAction];
        const until =
          typeof f.validUntil === 'string' ? parseMeterTime(f.validUntil, m.utcOffsetMin) : undefined;
        const refusal: MeterRefusal | null =
          cmd && until !== undefined ? m.relayControl(cmd, until, f.operator, f.password) : 'invalid';
        if (refusal === null) return this.ok('relay-control');
        return dlt645.buildErrorReply(
          m.address,
          'relay-control',
          refusal === 'unauthorized' ? ERR_UNAUTHORISED : ERR_OTHER,
          v,
        );
      }
      case 'write':
        if (broadcast) return null;
        if (!m.passwordOpens(f.password))
          return dlt645.buildErrorReply(m.address, 'write', ERR_UNAUTHORISED, v);
        return this.write(f) ? this.ok('write') : dlt645.buildErrorReply(m.address, 'write', ERR_OTHER, v);
      default:
        return broadcast ? null : dlt645.buildErrorReply(m.address, f.function, ERR_OTHER, v);
    }
  }

  private ok(fn: 'freeze' | 'relay-control' | 'write'): Uint8Array {
    return dlt645.encodeFrame({
      address: this.meter.address,
      function: fn,
      direction: 'slave->master',
      version: this.meter.variant,
    });
  }

  /** Writes the model supports: date, time and the prepaid limits 04001001–04001005. */
  private write(f: Dlt645Frame): boolean {
    const m = this.meter;
    const value = f.value;
    const now = m.meterNow();
    const cur = new Date(now + m.utcOffsetMin * 60_000).toISOString();
    let done = true;
    if (
      f.di === '04000101' &&
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      typeof value.date === 'string'
    ) {
      const at = parseMeterTime(`${value.date} ${cur.slice(11, 19)}`, m.utcOffsetMin);
      if (at === undefined) return false;
      m.setMeterTime(at);
    } else if (f.di === '04000102' && typeof value === 'string') {
      const at = parseMeterTime(`${cur.slice(0, 10)} ${value}`, m.utcOffsetMin);
      if (at === undefined) return false;
      m.setMeterTime(at);
    } else if (f.di === '04001001' && typeof value === 'number') m.prepaid.alarm1 = value;
    else if (f.di === '04001002' && typeof value === 'number') m.prepaid.alarm2 = value;
    else if (f.di === '04001003' && typeof value === 'number') m.prepaid.overdraftLimit = value;
    else if (f.di === '04001004' && typeof value === 'number') m.prepaid.hoardingLimit = value;
    else if (f.di === '04001005' && typeof value === 'number') m.prepaid.closePermit = value;
    else done = false;
    if (done) m.recordProgramming(typeof f.operator === 'string' ? f.operator : '00000000');
    return done;
  }
}

function withPreamble(frame: Uint8Array, n: number): Uint8Array {
  let start = 0;
  while (start < frame.length && frame[start] === 0xfe) start++;
  const out = new Uint8Array(n + frame.length - start);
  out.fill(0xfe, 0, n);
  out.set(frame.subarray(start), n);
  return out;
}
