import { connect } from 'node:net';
import { buildReadRequest, decodeFrame } from '@quadmeter/protocols/dlt645/index.ts';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { demoTransportConfig, startDemoSimulators } from './demo-simulators.ts';
import { createLogger } from './logger.ts';
import { pluginConfigSource } from './plugin-config.ts';

describe('demo simulators', () => {
  it('answer a DL/T 645 read over the TCP serial line that npm start prints', async () => {
    const sims = await startDemoSimulators(createLogger('silent'));
    try {
      expect(sims.meters.length).toBe(18);
      const url = new URL(sims.serialUrl);
      const reply = await new Promise<Buffer>((resolve, reject) => {
        const socket = connect(Number(url.port), url.hostname, () =>
          socket.write(buildReadRequest('000000000001', '00010000')),
        );
        let got = Buffer.alloc(0);
        socket.on('data', (d) => {
          got = Buffer.concat([got, d]);
          if (got.at(-1) === 0x16 && got.length >= 20) {
            socket.end();
            resolve(got);
          }
        });
        socket.on('error', reject);
        setTimeout(() => reject(new Error('no reply')), 5000).unref();
      });
      const frame = decodeFrame(new Uint8Array(reply)) as { address: string; di: string; value: number };
      expect(frame).toMatchObject({ address: '000000000001', di: '00010000' });
      expect(frame.value).toBeGreaterThan(1000);
      expect(sims.mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
      expect(sims.loraDevices).toContain('70b3d5fffe000001');
    } finally {
      await sims.stop();
    }
  });

  it('point the serial transports at the simulated line and the master station at a loopback port, under what the operator set', async () => {
    const base = loadConfig({
      DATABASE_URL: 'postgres://unused/x',
      QUADMETER_PLUGIN_TRANSPORT_MBUS: JSON.stringify({ lines: { 'demo-bus': 'tty:/dev/ttyUSB3' } }),
      QUADMETER_PLUGIN_TRANSPORT_RS485: JSON.stringify({ relayOperator: '00000001' }),
    });
    const { config, masterPort } = await demoTransportConfig(base, 'tcp://127.0.0.1:4001');
    const of = pluginConfigSource(config);
    expect(of('transport-rs485')).toEqual({
      relayOperator: '00000001',
      lines: { 'demo-bus': 'tcp://127.0.0.1:4001' },
    });
    expect(of('transport-mbus')).toEqual({ lines: { 'demo-bus': 'tty:/dev/ttyUSB3' } });
    expect(of('transport-gdw1376')).toEqual({ host: '127.0.0.1', port: masterPort });
    expect(masterPort).toBeGreaterThan(0);
    const fixed = await demoTransportConfig(
      loadConfig({
        DATABASE_URL: 'postgres://unused/x',
        QUADMETER_PLUGIN_TRANSPORT_GDW1376: JSON.stringify({ host: '0.0.0.0', port: 9027 }),
      }),
      'tcp://127.0.0.1:4001',
    );
    expect(fixed.masterPort).toBe(9027);
    expect(pluginConfigSource(fixed.config)('transport-gdw1376')).toEqual({ host: '0.0.0.0', port: 9027 });
  });
});
