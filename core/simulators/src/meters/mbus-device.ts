import type { FrameExtractor } from '../../../protocols/src/common/extractor.ts';
import type { MbusFrame, RecordInput } from '../../../protocols/src/mbus/index.ts';
import * as mbus from '../../../protocols/src/mbus/index.ts';
import type { BusDevice } from '../bus/bus-device.ts';
import { fromWallTime, toWallTime } from '../time/wall-time.ts';
import type { MbusMeter } from './mbus-meter.ts';

const p2 = (n: number): string => String(n).padStart(2, '0');
const NETWORK_LAYER = 0xfd;
const BROADCAST_REPLY = 0xfe;
const BROADCAST_NO_REPLY = 0xff;
/** status byte bit 2: power low (battery) */
const STATUS_POWER_LOW = 0x04;

/** Select mask (F nibbles = any digit) against our id. */
export function mbusIdMatches(mask: string, id: string): boolean {
  if (mask.length !== id.length) return false;
  for (let i = 0; i < mask.length; i++) if (mask[i].toUpperCase() !== 'F' && mask[i] !== id[i]) return false;
  return true;
}

/**
 * A wired M-Bus meter (EN 13757-2/-3) on the bus: SND_NKE → E5, REQ_UD2 → RSP_UD with a
 * variable data structure (current values, then the monthly values as storage numbers 1..n with
 * their dates), secondary addressing via select (CI 52) to FD, a primary-address write, and a
 * date-time write (SND_UD CI 51 with a storage-0 VIF 6D record) that sets the meter clock.
 */
export class MbusDevice implements BusDevice {
  readonly protocol = 'mbus';
  readonly meter: MbusMeter;
  readonly latencyMs: number;
  /** how many stored months a reply carries */
  readonly historyMonths: number;

  constructor(meter: MbusMeter, latencyMs = 25, historyMonths = 2) {
    this.meter = meter;
    this.latencyMs = latencyMs;
    this.historyMonths = historyMonths;
  }

  get label(): string {
    return `mbus ${this.meter.primary} id ${this.meter.id}`;
  }

  createExtractor(): FrameExtractor {
    return mbus.extractor();
  }

  handle(bytes: Uint8Array): Uint8Array | null {
    const f = mbus.decode(bytes);
    if (f.direction !== 'master' || f.a === undefined) return null;
    const m = this.meter;
    const c = Number.parseInt(f.c ?? '0', 16) & 0x4f;
    if (f.kind === 'long' && f.ci === '52' && f.a === NETWORK_LAYER) return this.select(f);
    const forMe =
      f.a === m.primary ||
      f.a === BROADCAST_REPLY ||
      f.a === BROADCAST_NO_REPLY ||
      (f.a === NETWORK_LAYER && m.selected);
    if (!forMe) return null;
    const silent = f.a === BROADCAST_NO_REPLY;
    if (f.kind === 'short' && c === 0x40) {
      if (f.a === NETWORK_LAYER) m.selected = false;
      return silent ? null : mbus.buildAck();
    }
    if (f.kind === 'short' && c === 0x4b) return silent ? null : this.rspUd(f.a);
    if (f.kind === 'long' && f.ci === '51') {
      const data = f.data ?? '';
      const set = /^017A([0-9A-F]{2})$/i.exec(data);
      if (set) {
        const a = Number.parseInt(set[1], 16);
        if (a <= 250) m.primary = a;
      }
      this.setClock(f);
      return silent ? null : mbus.buildAck();
    }
    return null;
  }

  /** A valid current date-time record (VIF 6D, storage 0) sets the meter clock (its wall time). */
  private setClock(f: MbusFrame): void {
    const r = f.records?.find((x) => x.quantity === 'date time' && x.storage === 0 && !x.invalid);
    const t =
      typeof r?.value === 'string' ? /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?/.exec(r.value) : null;
    if (!t) return;
    const [year, month, day, hour, minute, second] = t.slice(1).map((x) => Number(x ?? 0));
    const h = this.meter.hydraulic;
    h.setMeterTime(fromWallTime({ year, month, day, hour, minute, second }, h.utcOffsetMin));
  }

  private select(f: MbusFrame): Uint8Array | null {
    const s = f.select;
    const m = this.meter;
    const hit =
      !!s &&
      mbusIdMatches(s.id, m.id) &&
      (s.manufacturer === null || s.manufacturer === m.manufacturer) &&
      (s.version === null || s.version === m.version) &&
      (s.medium === null || s.medium === m.medium);
    m.selected = hit;
    return hit ? mbus.buildAck() : null;
  }

  private iso(ms: number, withTime: boolean): string {
    const w = toWallTime(ms, this.meter.hydraulic.utcOffsetMin);
    const d = `${w.year}-${p2(w.month)}-${p2(w.day)}`;
    return withTime ? `${d}T${p2(w.hour)}:${p2(w.minute)}` : d;
  }

  /** Data records of the current reply, as the codec's encoder takes them. */
  records(): RecordInput[] {
    const m = this.meter;
    const now = m.current();
    const h = m.hydraulic;
    const out: RecordInput[] = [];
    if (m.isHeat) out.push({ vif: '06', coding: 'bcd8', rawValue: Math.round(now.heat) });
    out.push({ vif: '13', coding: 'bcd8', rawValue: Math.round(now.volume * 1000) });
    if (m.isHeat) {
      out.push({ vif: '2B', coding: 'bcd6', rawValue: Math.round(h.body.power * 1000) });
      out.push({ vif: '3B', coding: 'bcd6', rawValue: Math.round(h.flowRate() * 1000) });
      out.push({ vif: '5A', coding: 'bcd4', rawValue: Math.round(h.body.supplyTemp * 10) });
      out.push({ vif: '5E', coding: 'bcd4', rawValue: Math.round(h.body.returnTemp * 10) });
    }
    out.push({ vif: '6D', value: this.iso(h.meterNow(), true) });
    for (let n = 1; n <= this.historyMonths; n++) {
      const s = m.stored(n);
      if (!s) break;
      out.push({ vif: '6C', storage: n, value: this.iso(s.at, false) });
      if (m.isHeat) out.push({ vif: '06', coding: 'bcd8', storage: n, rawValue: Math.round(s.heat) });
      out.push({ vif: '13', coding: 'bcd8', storage: n, rawValue: Math.round(s.volume * 1000) });
    }
    return out;
  }

  private rspUd(a: number): Uint8Array {
    const m = this.meter;
    return mbus.buildRspUd({
      a: a === NETWORK_LAYER || a === BROADCAST_REPLY ? m.primary : a,
      header: {
        id: m.id,
        manufacturer: m.manufacturer,
        version: m.version,
        medium: m.medium,
        accessNo: m.nextAccess(),
        status: m.hydraulic.batteryLow ? STATUS_POWER_LOW : 0,
      },
      records: this.records(),
    });
  }
}
