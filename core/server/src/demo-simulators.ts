import type { Logger } from './logger.ts';
import { importOptional } from './optional-import.ts';

export interface DemoSimulators {
  /** where the simulated RS-485 line answers, e.g. tcp://127.0.0.1:40123 */
  serialUrl: string;
  meters: string[];
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
): Promise<DemoSimulators> {
  const { populateBus, Rs485Bus, startTcpSerialServer, systemClock } = await importOptional<Simulators>(
    '@quadmeter/simulators',
    'the demo meters',
  );
  const bus = new Rs485Bus({ baud: 2400, loss: 0, corruption: 0, seed: 1 });
  const pop = populateBus(bus, { clock: systemClock, dlt645: 8, dlt645Of1997: 2, cjt188: 6, mbus: 4 });
  const server = await startTcpSerialServer(bus, { host: '127.0.0.1', port });
  const serialUrl = `tcp://${server.host}:${server.port}`;
  const meters = [...pop.dlt645, ...pop.cjt188, ...pop.mbus].map((d) => d.label);
  logger.info({ serialUrl, meters: meters.length }, 'demo meters on a simulated RS-485 line');
  console.log(`  Simulated meters: ${meters.length} on an RS-485 line at ${serialUrl} (2400 8E1)`);
  return {
    serialUrl,
    meters,
    async stop() {
      await server.close();
      bus.close();
    },
  };
}
