import type { MeterConfig, PortReadingParams } from '../../../protocols/src/gdw1376/index.ts';
import type { MeterTable } from './meter-table.ts';

const ZERO_ADDRESS = '000000000000';
const DLT645_2007 = 30;

/** A complete AFN 04 F10 record from a partial one, with the defaults a terminal stores. */
function complete(c: Partial<MeterConfig> & { serial: number; pn: number }): MeterConfig {
  return {
    serial: c.serial,
    pn: c.pn,
    baud: c.baud ?? 0,
    port: c.port ?? 2,
    protocol: c.protocol ?? DLT645_2007,
    address: (c.address ?? ZERO_ADDRESS).padStart(12, '0'),
    password: c.password ?? ZERO_ADDRESS,
    tariffCount: c.tariffCount ?? 4,
    integerDigits: c.integerDigits ?? 6,
    decimalDigits: c.decimalDigits ?? 2,
    collector: (c.collector ?? ZERO_ADDRESS).padStart(12, '0'),
    userClass: c.userClass ?? 0,
    userSubClass: c.userSubClass ?? 0,
  };
}

const validSerial = (s: unknown): s is number =>
  typeof s === 'number' && Number.isInteger(s) && s >= 1 && s <= 2040;

/**
 * The parameters a concentrator keeps: its AFN 04 F10 meter configuration by serial number (read
 * back with AFN 0A F10) and its AFN 04 F33 reading parameters by port (AFN 0A F33). A record with
 * measuring point 0 deletes its serial number, as terminal firmware does; the measuring points the
 * meter table reads follow every change.
 */
export class TerminalParams {
  private readonly bySerial = new Map<number, MeterConfig>();
  private readonly byPort = new Map<number, PortReadingParams>();
  private readonly table: MeterTable;

  constructor(table: MeterTable) {
    this.table = table;
  }

  /** The records a terminal holds for the meters of `table` (serial = measuring point). */
  static fromTable(table: MeterTable, port = 2): TerminalParams {
    const p = new TerminalParams(table);
    for (const e of table.entries()) {
      const rec = complete({
        ...e.config,
        serial: e.config?.serial ?? e.pn,
        pn: e.pn,
        port: e.config?.port ?? port,
      });
      rec.address = e.device.meter.address;
      p.bySerial.set(rec.serial, rec);
    }
    return p;
  }

  /** AFN 04 F10: stores, replaces or (pn 0) deletes each record by serial number. */
  applyMeterConfig(configs: readonly Partial<MeterConfig>[]): void {
    for (const c of configs) {
      if (!validSerial(c.serial) || typeof c.pn !== 'number') continue;
      const before = this.bySerial.get(c.serial);
      if (c.pn === 0) this.bySerial.delete(c.serial);
      else {
        const rec = complete({ ...c, serial: c.serial, pn: c.pn });
        this.bySerial.set(c.serial, rec);
        this.table.download([rec]);
      }
      if (before && before.pn !== c.pn && !this.holdsPoint(before.pn)) {
        this.table.download([{ pn: before.pn, protocol: 0 }]);
      }
    }
  }

  private holdsPoint(pn: number): boolean {
    for (const r of this.bySerial.values()) if (r.pn === pn && r.protocol !== 0) return true;
    return false;
  }

  /** AFN 0A F10: the records of the serial numbers asked for that the terminal holds. */
  meterConfig(serials: readonly number[]): MeterConfig[] {
    return serials.flatMap((s) => {
      const r = this.bySerial.get(s);
      return r ? [{ ...r }] : [];
    });
  }

  /** Every record, by serial number. */
  records(): MeterConfig[] {
    return [...this.bySerial.values()].sort((a, b) => a.serial - b.serial).map((r) => ({ ...r }));
  }

  /**
   * Changes the table as a field technician with a hand-held would, behind the master's back:
   * merges `change` into the record of `serial` (or adds it). Tests plant mismatches with it.
   */
  plant(change: Partial<MeterConfig> & { serial: number }): void {
    const before = this.bySerial.get(change.serial);
    this.applyMeterConfig([{ ...before, ...change, pn: change.pn ?? before?.pn ?? change.serial }]);
  }

  /** Deletes a serial number's record locally (same as a pn 0 record). */
  drop(serial: number): void {
    this.applyMeterConfig([{ serial, pn: 0 }]);
  }

  /** AFN 04 F33: stores each port's block. */
  applyReadingParams(ports: readonly PortReadingParams[]): void {
    for (const p of ports) this.byPort.set(p.port, structuredClone(p));
  }

  /** AFN 0A F33: the blocks of the ports asked for that the terminal holds. */
  readingParams(ports: readonly number[]): PortReadingParams[] {
    return ports.flatMap((p) => {
      const b = this.byPort.get(p);
      return b ? [structuredClone(b)] : [];
    });
  }
}
