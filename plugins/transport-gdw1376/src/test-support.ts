import { connect, type Socket } from 'node:net';
import type { MeterTarget, PluginContext, ReadRequest, ReadResult } from '@quadmeter/sdk';
import { makeTestContext, TEST_TENANT_ID, type TestContext } from '@quadmeter/sdk/testing';
import { ConcentratorSim, fromWallTime, ManualClock, MeterTable } from '@quadmeter/simulators';
import { configSchema, type Gdw1376Config } from './config.ts';
import plugin from './index.ts';
import { masterOf } from './runtime.ts';

/** Shared by the tests of this plugin: a started master on a free port and simulated concentrators. */
export const A1 = '3501';

export type Started = TestContext<Gdw1376Config> & { port: number; stop(): Promise<void> };

export async function startMaster(
  config: Partial<Gdw1376Config> = {},
  options: { enabledTenants?: string[]; unknown?: (a1: string, a2: number) => boolean } = {},
): Promise<Started> {
  const t = makeTestContext<Gdw1376Config>({
    pluginId: plugin.id,
    config: configSchema.parse({ host: '127.0.0.1', port: 0, requestTimeoutMs: 2000, ...config }),
    enabledTenants: options.enabledTenants,
  });
  const unknown = options.unknown;
  if (unknown) {
    // a core whose registry has no tenant with these concentrators
    const online = t.ctx.core.gatewayOnline.bind(t.ctx.core);
    const heartbeat = t.ctx.core.gatewayHeartbeat.bind(t.ctx.core);
    t.ctx.core.gatewayOnline = async (g, on, at) =>
      unknown(g.a1, g.a2) ? { matched: false } : online(g, on, at);
    t.ctx.core.gatewayHeartbeat = async (g, at) =>
      unknown(g.a1, g.a2) ? { matched: false } : heartbeat(g, at);
  }
  await plugin.start?.(t.ctx);
  const port = masterOf(t.ctx)?.port ?? 0;
  return {
    ...t,
    port,
    stop: async () => {
      t.abort();
      await plugin.stop?.(t.ctx);
    },
  };
}

/** The simulator's clock: 2026-06-14 10:00 in UTC+8 (a day and month are frozen after it moves). */
export const simClock = (): ManualClock =>
  new ManualClock(fromWallTime({ year: 2026, month: 6, day: 14, hour: 10 }));

export function startSim(
  port: number,
  a2: number,
  o: Partial<ConstructorParameters<typeof ConcentratorSim>[0]> & { meters?: number } = {},
): ConcentratorSim {
  const clock = o.clock ?? simClock();
  const sim = new ConcentratorSim({
    master: { host: '127.0.0.1', port },
    a1: A1,
    a2,
    table: o.table ?? MeterTable.generate(clock, o.meters ?? 4, 35010000 + a2),
    clock,
    heartbeatSec: 0.2,
    reconnectMs: 60_000,
    ...o,
  });
  sim.start();
  return sim;
}

export async function waitUntil(cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The DL/T 645 address MeterTable.generate gives point `pn` of concentrator 3501-a2. */
export const simAddress = (a2: number, pn: number): string =>
  String((35010000 + a2) * 10_000 + pn)
    .padStart(12, '0')
    .slice(-12);

/** Meters at points `pns` behind concentrator 3501-a2, as the engine would name them. */
export function meters(a2: number, pns: readonly number[], registers?: string[]): MeterTarget[] {
  return pns.map((pn) => ({
    meterId: `m${pn}`,
    ref: { protocol: 'dlt645-2007', address: simAddress(a2, pn) },
    route: { via: 'concentrator', gateway: { a1: A1, a2 }, point: pn },
    ...(registers ? { registers } : {}),
  }));
}

export function request(a2: number, pns: readonly number[], extra: Partial<ReadRequest> = {}): ReadRequest {
  return {
    tenantId: TEST_TENANT_ID,
    line: {
      id: `gw-${a2}`,
      params: {},
      gateway: { id: `gw-${a2}`, protocol: 'gdw1376', address: `${A1}-${a2}` },
    },
    meters: meters(a2, pns),
    signal: new AbortController().signal,
    ...extra,
  };
}

export async function collect(ctx: PluginContext<Gdw1376Config>, req: ReadRequest): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  if (plugin.mode !== 'poll') return out;
  for await (const r of plugin.read(req, ctx)) out.push(r);
  return out;
}

/** A raw TCP client playing a terminal by hand (bytes as given). */
export async function rawTerminal(port: number): Promise<{ socket: Socket; received: Buffer[] }> {
  const socket = connect({ host: '127.0.0.1', port });
  const received: Buffer[] = [];
  socket.on('data', (d: Buffer) => received.push(d));
  socket.on('error', () => {});
  await new Promise<void>((r) => socket.once('connect', () => r()));
  return { socket, received };
}
