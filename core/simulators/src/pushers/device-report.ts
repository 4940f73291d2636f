import * as cjt188 from '../../../protocols/src/cjt188/index.ts';
import * as dlt645 from '../../../protocols/src/dlt645/index.ts';
import { Cjt188Device } from '../meters/cjt188-device.ts';
import type { Cjt188Meter } from '../meters/cjt188-meter.ts';
import { value2007 } from '../meters/dlt645-values.ts';
import type { ElectricityMeter } from '../meters/electricity-meter.ts';

/** A battery meter that reports by itself over NB-IoT or LoRaWAN. */
export type ReportingMeter =
  | { kind: 'cjt188'; meter: Cjt188Meter }
  | { kind: 'dlt645'; meter: ElectricityMeter };

/**
 * The bytes a self-reporting meter puts in its uplink: the frame it would send in answer to a
 * read of its main data (CJ/T 188 901F current data, DL/T 645 0001FF00 positive energy block).
 */
export function reportBytes(r: ReportingMeter, ser = 0): Uint8Array {
  if (r.kind === 'cjt188') {
    r.meter.advance();
    const body = new Cjt188Device(r.meter).currentBody();
    return cjt188.buildReadDataReply(r.meter.type, r.meter.address, '901F', ser & 0xff, body);
  }
  const value = value2007(r.meter, '0001FF00');
  return dlt645.buildReadReply(r.meter.address, '0001FF00', value ?? [0, 0, 0, 0, 0]);
}
