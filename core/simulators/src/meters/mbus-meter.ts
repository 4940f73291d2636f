import type { Clock } from '../time/clock.ts';
import { CJT188_TYPES, Cjt188Meter, type FlowSnapshot } from './cjt188-meter.ts';
import type { LoadProfile } from './load-profile.ts';

/** EN 13757-3 medium byte. */
export const MBUS_MEDIA = { water: 0x07, warmWater: 0x06, heat: 0x04, gas: 0x03 } as const;

export interface MbusMeterOptions {
  /** primary address 1..250 */
  primary: number;
  /** 8-digit identification number (secondary address) */
  id: string;
  /** three-letter manufacturer code */
  manufacturer?: string;
  version?: number;
  medium?: number;
  clock: Clock;
  flow?: LoadProfile;
  initialVolume?: number;
  initialHeat?: number;
  utcOffsetMin?: number;
}

/**
 * State of a wired M-Bus water or heat meter. The hydraulic part (volume, heat, history on the
 * 1st of each month as storage numbers 1..12) is the same as a CJ/T 188 meter's, so it reuses that
 * model; on top come the link-layer identity, access number and secondary-address selection.
 */
export class MbusMeter {
  primary: number;
  readonly id: string;
  readonly manufacturer: string;
  readonly version: number;
  readonly medium: number;
  readonly hydraulic: Cjt188Meter;
  accessNumber = 0;
  /** set by a matching secondary-address select, cleared by SND_NKE to FD or another select */
  selected = false;

  constructor(o: MbusMeterOptions) {
    if (!Number.isInteger(o.primary) || o.primary < 0 || o.primary > 250) {
      throw new Error(`M-Bus primary address must be 0..250, got ${o.primary}`);
    }
    if (!/^\d{8}$/.test(o.id)) throw new Error(`M-Bus id must be 8 digits, got "${o.id}"`);
    this.primary = o.primary;
    this.id = o.id;
    this.manufacturer = o.manufacturer ?? 'QMS';
    this.version = o.version ?? 1;
    this.medium = o.medium ?? MBUS_MEDIA.water;
    const isHeat = this.medium === MBUS_MEDIA.heat;
    this.hydraulic = new Cjt188Meter({
      type: isHeat ? CJT188_TYPES.heat : CJT188_TYPES.coldWater,
      address: `000000${o.id}`,
      clock: o.clock,
      flow: o.flow,
      initialVolume: o.initialVolume,
      initialHeat: o.initialHeat,
      utcOffsetMin: o.utcOffsetMin,
    });
  }

  get isHeat(): boolean {
    return this.medium === MBUS_MEDIA.heat;
  }

  current(): FlowSnapshot {
    this.hydraulic.advance();
    return this.hydraulic.snapshot();
  }

  /** Storage number n (1 = last month end) or undefined. */
  stored(n: number): FlowSnapshot | undefined {
    this.hydraulic.advance();
    return this.hydraulic.history.last(n);
  }

  nextAccess(): number {
    this.accessNumber = (this.accessNumber + 1) & 0xff;
    return this.accessNumber;
  }
}
