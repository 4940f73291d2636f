import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAppError } from '@quadmeter/sdk';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { RunningPlatform } from './main.ts';

export interface DemoField {
  /** the platform config with the transports pointed at the simulators */
  config: Config;
  /**
   * Once the platform runs: the LoRa transport on the embedded broker, the NB-IoT meters pushing
   * to the webhook (a first round), the concentrator dialing in, then the whole-estate read.
   * Answers the read's task id (null without a demo estate).
   */
  attach(running: RunningPlatform): Promise<string | null>;
  stop(): Promise<void>;
}

/**
 * The demo's field side for `npm start` (QUADMETER_SIMULATORS=on): the RS-485 line and the LoRa
 * broker start before the platform, so its transports are configured with where they are; the
 * rest starts in `attach`. Undefined when the simulators (a development dependency) are missing.
 */
export async function startDemoField(config: Config, logger: Logger): Promise<DemoField | undefined> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const demo = await import('./demo-simulators.ts');
    const since = await fieldEpoch(config.QUADMETER_DATA_DIR);
    const bus = await demo.startDemoSimulators(logger, undefined, since);
    stops.push(() => bus.stop());
    const { config: wired, masterPort } = await demo.demoTransportConfig(config, bus.serialUrl);
    return {
      config: wired,
      async attach(running) {
        const { useDemoBroker } = await import('./demo-lora.ts');
        if (await useDemoBroker(running.platform, bus.mqttUrl))
          console.log('  The demo tenant’s LoRa transport subscribes to that broker');
        const { startDemoNbiot } = await import('./demo-nbiot.ts');
        const nbiot = await startDemoNbiot(running.platform, running.url, logger);
        if (nbiot) stops.push(() => nbiot.stop());
        const conc = await demo.startDemoConcentrator(logger, { host: '127.0.0.1', port: masterPort }, since);
        stops.push(() => conc.stop());
        await nbiot?.firstRound;
        const { startDemoRead } = await import('./demo-reading.ts');
        return await startDemoRead(running.platform);
      },
      async stop() {
        for (const s of stops.splice(0).reverse()) await s();
      },
    };
  } catch (e) {
    for (const s of stops.reverse()) await s();
    if (!isAppError(e) || e.code !== 'PACKAGE_MISSING') throw e;
    console.log(`  Simulated meters: not started (${e.message}; QUADMETER_SIMULATORS=off hides this)`);
    return undefined;
  }
}

/**
 * When the demo's simulated field first ran (kept in `<data dir>/demo-field.json`): its meters are
 * started as if they had run since then, so registers keep counting up across restarts instead of
 * starting over below what the platform already stored.
 */
export async function fieldEpoch(dataDir: string, now = Date.now()): Promise<number> {
  const file = join(dataDir, 'demo-field.json');
  try {
    const since = (JSON.parse(await readFile(file, 'utf8')) as { since?: unknown }).since;
    if (typeof since === 'number' && Number.isFinite(since) && since <= now) return since;
  } catch {
    // first start, or an unreadable file: start the field now
  }
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify({ since: now })}\n`);
  return now;
}
