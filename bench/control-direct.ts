// bench/control.ts, mode 1: the commands handed straight to transport-gdw1376's control(), all at
// once, as the outbox's pump hands over what it claimed (each concentrator's link serialises).
import type { ControlCommand, ControlResult, CoreApi, Logger } from '@quadmeter/sdk';
import { configSchema } from '../plugins/transport-gdw1376/src/config.ts';
import plugin from '../plugins/transport-gdw1376/src/index.ts';
import { masterOf } from '../plugins/transport-gdw1376/src/runtime.ts';
import { A1, type FieldBound, PORT, startField } from './control-field.ts';

const TENANT = 't';
const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const gw = (g: { a1: string; a2: number }) =>
  ({ matched: true, tenantId: TENANT, gatewayId: `${g.a1}-${g.a2}` }) as const;

export interface ModeResult {
  wallMs: number;
  bound: FieldBound;
  confirmed: number;
  closed: number;
  sample?: unknown;
}

export async function runDirect(nConc: number, perConc: number): Promise<ModeResult> {
  const core: CoreApi = {
    ingestReadings: async () => ({ outcomes: [], stored: 0, duplicate: 0, rejected: 0, unmatched: 0 }),
    gatewayOnline: async (g) => gw(g),
    gatewayHeartbeat: async (g) => gw(g),
    enabledTenants: async () => [TENANT],
    controlUpdate: async () => ({ matched: false, changed: false }),
    tenantSettings: async () => ({}),
  };
  const config = configSchema.parse({ host: '127.0.0.1', port: 0, requestTimeoutMs: 600_000 });
  const ctx = { pluginId: plugin.id, logger: silent, config, signal: new AbortController().signal, core };
  await plugin.start?.(ctx);
  const master = masterOf(ctx);
  if (!master || plugin.mode !== 'poll') throw new Error('the master station did not start');
  const transport = plugin;
  const field = startField(master.port, nConc, perConc);
  try {
    const t0 = Date.now();
    while (master.online < nConc) {
      if (Date.now() - t0 > 30_000)
        throw new Error(`only ${master.online} of ${nConc} concentrators logged in`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // one valve close per meter, shaped as the core's outbox sends it (decision 0013)
    const commands: ControlCommand[] = [];
    for (let a2 = 1; a2 <= nConc; a2++) {
      const gateway = { id: `gw-${a2}`, protocol: 'gdw1376', address: `${A1}:${a2}`, params: { a1: A1, a2 } };
      for (let i = 1; i <= perConc; i++)
        commands.push({
          id: `c-${a2}-${i}`,
          tenantId: TENANT,
          meterId: `m-${a2}-${i}`,
          ref: { protocol: 'cjt188', address: field.address(a2, i) },
          route: { via: 'concentrator', gateway: { a1: A1, a2 }, point: i },
          line: { id: gateway.id, params: {}, gateway },
          action: 'valve-close',
          params: { port: PORT },
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          attempt: 1,
        });
    }
    field.mark();
    const started = performance.now();
    const results: ControlResult[] = await Promise.all(commands.map((c) => transport.control(c, ctx)));
    const wallMs = performance.now() - started;
    const good = (r: ControlResult) => r.ok && r.status === 'confirmed' && r.state?.valve === 'closed';
    return {
      wallMs,
      bound: field.bound(commands.length),
      confirmed: results.filter(good).length,
      closed: field.valvesClosed(),
      sample: results.find((r) => !good(r)),
    };
  } finally {
    await field.stop();
    await plugin.stop?.(ctx);
  }
}
