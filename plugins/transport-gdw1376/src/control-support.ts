import type { ControlCommand, ControlResult } from '@quadmeter/sdk';
import { TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { attachWaterMeters, type ManualClock, MeterTable, waterAddress } from '@quadmeter/simulators';
import plugin from './index.ts';
import { A1, type Started, simAddress, simClock, startMaster, startSim, waitUntil } from './test-support.ts';

/** Shared by the control tests: water meters hang on terminal port 3 of every concentrator. */
export const WATER_PORT = 3;

/**
 * A started master and concentrator 3501-a2 with DL/T 645 meters at points 1..4 and three CJ/T
 * 188 water meters on port 3; what it starts is stopped by the `cleanups` given.
 */
export async function setupControl(
  cleanups: (() => Promise<void>)[],
  a2: number,
  clock: ManualClock = simClock(),
  lineTiming = false,
) {
  const m = await startMaster();
  cleanups.push(() => m.stop());
  const table = MeterTable.generate(clock, 4, 35010000 + a2);
  const water = attachWaterMeters(table, { clock, port: WATER_PORT, count: 3, addressBase: 35010000 + a2 });
  const s = startSim(m.port, a2, { clock, table, lineTiming });
  cleanups.push(() => s.stop());
  await waitUntil(() => s.state === 'logged-in');
  return { m, s, water, clock };
}

export const gateway = (a2: number) => ({ id: `gw-${a2}`, protocol: 'gdw1376', address: `${A1}-${a2}` });

/** A command to DL/T 645 meter `pn` of concentrator 3501-a2, its line naming the concentrator. */
export function command(
  a2: number,
  action: ControlCommand['action'],
  pn = 1,
  extra: Partial<ControlCommand> = {},
): ControlCommand {
  return {
    id: `cmd-${action}`,
    tenantId: TEST_TENANT_ID,
    meterId: `m${pn}`,
    ref: { protocol: 'dlt645-2007', address: simAddress(a2, pn) },
    line: { id: `gw-${a2}`, params: {}, gateway: gateway(a2) },
    action,
    ...extra,
  };
}

/** A valve command to water meter `i` on port 3, shaped as the core sends it (route, line, port). */
export function valve(
  a2: number,
  action: 'valve-open' | 'valve-close',
  i = 1,
  extra: Partial<ControlCommand> = {},
): ControlCommand {
  return command(a2, action, i, {
    meterId: `w${i}`,
    ref: { protocol: 'cjt188', address: waterAddress(35010000 + a2, i) },
    route: { via: 'concentrator', gateway: { a1: A1, a2 }, point: 100 + i },
    params: { port: WATER_PORT },
    ...extra,
  });
}

export function run(c: ControlCommand, ctx: Started['ctx']): Promise<ControlResult> {
  if (plugin.mode !== 'poll') throw new Error('transport-gdw1376 is a poll transport');
  return plugin.control(c, ctx);
}
