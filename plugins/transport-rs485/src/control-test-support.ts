/** Test support for control: commands, the frames a line carried, meters that do not obey. */
import * as cjt188 from '@quadmeter/protocols/cjt188/index.ts';
import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import type { ControlCommand } from '@quadmeter/sdk';
import { TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import type { BusDevice } from '@quadmeter/simulators';
import type { SimLine } from './test-lines.ts';

/** A command for the meter at `address` on `line`. */
export function command(
  line: SimLine,
  id: string,
  action: ControlCommand['action'],
  protocol: string,
  address: string,
  more: Partial<ControlCommand> = {},
): ControlCommand {
  return {
    id,
    tenantId: TEST_TENANT_ID,
    meterId: id,
    ref: { protocol, address },
    line: line.ref,
    action,
    ...more,
  };
}

/** The DL/T 645 frames the master put on a TCP line so far. */
export function dltFramesSent(line: SimLine): dlt645.Dlt645Frame[] {
  return dlt645
    .extractor()
    .push(Uint8Array.from(line.sent))
    .frames.map((f) => dlt645.decodeFrame(f));
}

/** A DL/T 645 meter that acknowledges relay control (C=9C) without switching anything. */
export function deafRelay(d: BusDevice, address: string): BusDevice {
  return {
    ...d,
    label: `${d.label} (relay ignores commands)`,
    createExtractor: () => d.createExtractor(),
    handle: (frame) => {
      const f = dlt645.decodeFrame(frame);
      if (f.function !== 'relay-control' || f.address !== address) return d.handle(frame);
      return dlt645.encodeFrame({
        address,
        function: 'relay-control',
        direction: 'slave->master',
        version: '2007',
      });
    },
  };
}

/** A CJ/T 188 meter whose valve is stuck: it acknowledges A017 with ST1 "abnormal". */
export function stuckValve(d: BusDevice & { meter: { type: number; address: string } }): BusDevice {
  return {
    protocol: d.protocol,
    latencyMs: d.latencyMs,
    label: `${d.label} (valve stuck)`,
    createExtractor: () => d.createExtractor(),
    handle: (frame) => {
      const f = cjt188.decode(frame);
      if (f.di !== 'A017') return d.handle(frame);
      const { type, address } = d.meter;
      return cjt188.buildValveControlReply(
        type,
        address,
        f.ser,
        { valve: 'abnormal' },
        { diOrder: f.diOrder },
      );
    },
  };
}
