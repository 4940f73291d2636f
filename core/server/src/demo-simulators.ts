import { createServer } from 'node:net';
import type { Config } from './config.ts';
import { DEMO_BUS_LINE, DEMO_CONCENTRATOR } from './demo-estate-meters.ts';
import type { Logger } from './logger.ts';
import { importOptional } from './optional-import.ts';
import { pluginConfigSource, pluginEnvName } from './plugin-config.ts';

export interface DemoSimulators {
  /** where the simulated RS-485 line answers, e.g. tcp://127.0.0.1:40123 */
  serialUrl: string;
  meters: string[];
  /** the embedded MQTT broker (aedes, loopback) the demo's LoRa meters publish to, mqtt://… */
  mqttUrl: string;
  /** the DevEUIs publishing there */
  loraDevices: string[];
  stop(): Promise<void>;
}

type Simulators = typeof import('@quadmeter/simulators');

/**
 * The demo's field side: one RS-485 line with DL/T 645, CJ/T 188 and M-Bus meters behind a TCP
 * serial server, as a serial-device server would expose it. Meters advance in real time. The
 * simulators are a development dependency: without them this fails with PACKAGE_MISSING.
 */
export async function startDemoSimulators(
  logger: Logger,
  port = Number(process.env.QUADMETER_SIM_PORT ?? 0),
  since = Date.now(),
): Promise<DemoSimulators> {
  const sims = await importOptional<Simulators>('@quadmeter/simulators', 'the demo meters');
  const { HeldClock, populateBus, Rs485Bus, startTcpSerialServer } = sims;
  const bus = new Rs485Bus({ baud: 2400, loss: 0, corruption: 0, seed: 1 });
  // the meters have run since the field first started: a restart reads on, never backwards
  const clock = new HeldClock(since);
  const pop = populateBus(bus, { clock, dlt645: 8, dlt645Of1997: 2, cjt188: 6, mbus: 4 });
  clock.release();
  for (const d of pop.dlt645) d.meter.advance();
  for (const d of pop.cjt188) d.meter.advance();
  for (const d of pop.mbus) d.meter.current();
  const server = await startTcpSerialServer(bus, { host: '127.0.0.1', port });
  const serialUrl = `tcp://${server.host}:${server.port}`;
  const meters = [...pop.dlt645, ...pop.cjt188, ...pop.mbus].map((d) => d.label);
  logger.info({ serialUrl, meters: meters.length }, 'demo meters on a simulated RS-485 line');
  console.log(`  Simulated meters: ${meters.length} on an RS-485 line at ${serialUrl} (2400 8E1)`);
  const lora = await startDemoLora(sims, logger);
  return {
    serialUrl,
    meters,
    mqttUrl: lora.mqttUrl,
    loraDevices: lora.devices,
    async stop() {
      await lora.stop();
      await server.close();
      bus.close();
    },
  };
}

export interface DemoConcentrator {
  /** true once the master station confirmed its login */
  loggedIn(): boolean;
  stop(): Promise<void>;
}

/**
 * The demo's Q/GDW 1376.1 concentrator (DEMO_CONCENTRATOR: A1 3501, A2 1, measuring points
 * 1..1182 with the DL/T 645 meters the archive routes to it) dialing into the master station at
 * `master`, as a terminal on a GPRS modem would; it reconnects when the link drops.
 */
export async function startDemoConcentrator(
  logger: Logger,
  master: { host: string; port: number },
  since = Date.now(),
): Promise<DemoConcentrator> {
  const { ConcentratorSim, HeldClock, MeterTable, systemClock } = await importOptional<Simulators>(
    '@quadmeter/simulators',
    'the demo concentrator',
  );
  const c = DEMO_CONCENTRATOR;
  const clock = new HeldClock(since);
  const table = MeterTable.generate(clock, c.points, Number(c.a1) * 10_000 + c.a2);
  clock.release();
  for (const entry of table.entries()) entry.device.meter.advance();
  const sim = new ConcentratorSim({
    master,
    a1: c.a1,
    a2: c.a2,
    table,
    clock: systemClock,
    heartbeatSec: 60,
    reconnectMs: 2000,
    log: (line) => logger.debug({ concentrator: c.number }, line),
  });
  sim.start();
  logger.info({ master, points: c.points }, 'demo concentrator dialing the master station');
  console.log(
    `  Simulated concentrator: ${c.number} (A1 ${c.a1}, A2 ${c.a2}, ${c.points} meters) dialing tcp://${master.host}:${master.port}`,
  );
  return { loggedIn: () => sim.state === 'logged-in', stop: () => sim.stop() };
}

/** A TCP port free on loopback now (the master station listens on it a moment later). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The platform config with the transports pointed at the demo simulators, under whatever the
 * operator configured (which wins): transport-rs485 and transport-mbus get the line alias
 * `demo-bus` → `serialUrl`, transport-gdw1376 a master station on loopback at a free port when
 * no port is configured. Answers the config and the port the demo concentrator dials.
 */
export async function demoTransportConfig(
  config: Config,
  serialUrl: string,
): Promise<{ config: Config; masterPort: number }> {
  const configured = pluginConfigSource(config);
  const pluginEnv: Record<string, string> = { ...config.pluginEnv };
  for (const id of ['transport-rs485', 'transport-mbus']) {
    const own = configured(id);
    const base = isRecord(own) ? own : {};
    const lines = { [DEMO_BUS_LINE]: serialUrl, ...(isRecord(base.lines) ? base.lines : {}) };
    pluginEnv[pluginEnvName(id)] = JSON.stringify({ ...base, lines });
  }
  const master = configured('transport-gdw1376');
  const base = isRecord(master) ? master : {};
  const masterPort = typeof base.port === 'number' && base.port > 0 ? base.port : await freePort();
  pluginEnv[pluginEnvName('transport-gdw1376')] = JSON.stringify({
    host: '127.0.0.1',
    ...base,
    port: masterPort,
  });
  return { config: { ...config, pluginEnv }, masterPort };
}

/**
 * LoRaWAN meters behind a ChirpStack application `demo` on an embedded MQTT broker: the first gas
 * and heat meters of the demo estate (DevEUI 70b3d5fffe + hex of their number, CJ/T 188 address
 * the number, volume from 4 + number) and one device no meter names, which lands in the
 * unmatched-uplinks inbox. They publish every QUADMETER_SIM_LORA_INTERVAL seconds (default 60).
 */
async function startDemoLora(sims: Simulators, logger: Logger) {
  const { CJT188_TYPES, Cjt188Meter, LoraPusher, startMqttBroker, systemClock } = sims;
  const broker = await startMqttBroker({ port: Number(process.env.QUADMETER_SIM_MQTT_PORT ?? 0) });
  const device = (n: number, type: number) => ({
    devEui: `70b3d5fffe${n.toString(16).padStart(6, '0')}`,
    meter: new Cjt188Meter({
      type,
      address: String(n).padStart(14, '0'),
      clock: systemClock,
      initialVolume: 4 + n,
    }),
  });
  const devices = [
    ...[1, 2, 3].map((n) => device(n, CJT188_TYPES.gas)),
    ...[301, 302].map((n) => device(n, CJT188_TYPES.heat)),
    device(0x0f0001, CJT188_TYPES.gas),
  ];
  const pusher = new LoraPusher({
    mqttUrl: broker.url,
    applicationId: 'demo',
    devices,
    intervalSec: Number(process.env.QUADMETER_SIM_LORA_INTERVAL ?? 60),
  });
  await pusher.start();
  logger.info(
    { mqttUrl: broker.url, devices: devices.length },
    'demo LoRa meters on an embedded MQTT broker',
  );
  console.log(
    `  Simulated LoRa meters: ${devices.length} publishing to ${broker.url} (ChirpStack application "demo")`,
  );
  return {
    mqttUrl: broker.url,
    devices: devices.map((d) => d.devEui),
    async stop() {
      await pusher.stop();
      await broker.close();
    },
  };
}
