import type { MeterConfig } from '../../../protocols/src/gdw1376/index.ts';
import type { BusDevice } from '../bus/bus-device.ts';
import { Dlt645Device } from '../meters/dlt645-device.ts';
import { ElectricityMeter } from '../meters/electricity-meter.ts';
import { householdProfile } from '../meters/load-profile.ts';
import type { Clock } from '../time/clock.ts';

export interface MeterEntry {
  pn: number;
  device: Dlt645Device;
  /** the AFN 04 F10 record last downloaded for this point, if any */
  config?: Partial<MeterConfig>;
}

/** AFN 04 F10 protocol numbers. */
const PROTOCOL_1997 = 1;
const PROTOCOL_2007 = 30;

/**
 * The concentrator's measuring points: which DL/T 645 meter feeds which pn. The meters behind the
 * concentrator exist as simulated meters; a downloaded meter list re-maps points to addresses and
 * creates a simulated meter for any address not yet present.
 */
export class MeterTable {
  private readonly byPn = new Map<number, MeterEntry>();
  private readonly byAddress = new Map<string, Dlt645Device>();
  /** devices the terminal reaches only by forwarding on one port (CJ/T 188 water meters) */
  private readonly portDevices = new Map<number, BusDevice[]>();
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** `n` meters at pn 1..n with addresses derived from the terminal address. */
  static generate(clock: Clock, n: number, addressBase: number): MeterTable {
    const t = new MeterTable(clock);
    for (let pn = 1; pn <= n; pn++) {
      const address = String(addressBase * 10_000 + pn)
        .padStart(12, '0')
        .slice(-12);
      const meter = new ElectricityMeter({
        address,
        clock,
        load: householdProfile(1 + (pn % 3)),
        initialEnergy: 2000 + pn * 11.25,
      });
      t.attach(pn, new Dlt645Device(meter));
    }
    return t;
  }

  attach(pn: number, device: Dlt645Device, config?: Partial<MeterConfig>): void {
    this.byPn.set(pn, { pn, device, config });
    this.byAddress.set(device.meter.address, device);
  }

  get(pn: number): MeterEntry | undefined {
    return this.byPn.get(pn);
  }

  entries(): MeterEntry[] {
    return [...this.byPn.values()].sort((a, b) => a.pn - b.pn);
  }

  devices(): Dlt645Device[] {
    return [...this.byAddress.values()];
  }

  /** Hangs a device on terminal port `port`, reached by AFN 10 forwarding on that port only. */
  attachOnPort(port: number, device: BusDevice): void {
    const list = this.portDevices.get(port) ?? [];
    list.push(device);
    this.portDevices.set(port, list);
  }

  /** What a frame forwarded on `port` reaches: the DL/T 645 meters (on every port) and the port's own. */
  onPort(port: number): BusDevice[] {
    return [...this.devices(), ...(this.portDevices.get(port) ?? [])];
  }

  get size(): number {
    return this.byPn.size;
  }

  /** AFN 04 F10: applies a downloaded list (protocol 0 removes the point). */
  download(configs: readonly Partial<MeterConfig>[]): void {
    for (const c of configs) {
      if (typeof c.pn !== 'number') continue;
      if (c.protocol === 0 || !c.address) {
        this.byPn.delete(c.pn);
        continue;
      }
      const address = c.address.padStart(12, '0');
      let device = this.byAddress.get(address);
      if (!device) {
        const variant = c.protocol === PROTOCOL_1997 ? '1997' : '2007';
        device = new Dlt645Device(
          new ElectricityMeter({ address, variant, clock: this.clock, initialEnergy: 1000 + c.pn }),
        );
        this.byAddress.set(address, device);
      }
      this.byPn.set(c.pn, { pn: c.pn, device, config: { ...c, protocol: c.protocol ?? PROTOCOL_2007 } });
    }
  }
}
