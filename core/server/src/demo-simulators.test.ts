import { connect } from 'node:net';
import { buildReadRequest, decodeFrame } from '@quadmeter/protocols/dlt645/index.ts';
import { describe, expect, it } from 'vitest';
import { startDemoSimulators } from './demo-simulators.ts';
import { createLogger } from './logger.ts';

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
});
