import type { GatewayReadingPlan } from '@quadmeter/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from './index.ts';
import { A1, type Started, startMaster, startSim, waitUntil } from './test-support.ts';

const poll = plugin.mode === 'poll' ? plugin : undefined;
const gateway = (a2: number) => ({ id: `gw-${a2}`, protocol: 'gdw1376', address: `${A1}-${a2}` });
let m: Started;
let sim: ReturnType<typeof startSim>;
beforeAll(async () => {
  m = await startMaster();
  sim = startSim(m.port, 71, { meters: 2 });
  await waitUntil(() => sim.state === 'logged-in');
});
afterAll(async () => {
  await sim?.stop();
  await m?.stop();
});

const plan = (port: number, time: string): GatewayReadingPlan => ({
  port,
  days: [1, 15],
  time,
  intervalMinutes: 60,
  segments: [{ start: '00:00', end: '24:00' }],
});

describe('the concentrator reading plan (AFN 04 F33 / AFN 0A F33)', () => {
  it('sets the plan of each port and reads it back; ports without one are left out', async () => {
    expect(await poll?.readReadingPlan?.(gateway(71), [2, 31], m.ctx)).toEqual([]);
    await poll?.setReadingPlan?.(gateway(71), [plan(2, '01:30'), plan(31, '23:00')], m.ctx);
    expect(sim.params.readingParams([2])[0]).toMatchObject({
      port: 2,
      control: 0,
      days: [1, 15],
      time: '01:30',
    });
    expect(await poll?.readReadingPlan?.(gateway(71), [2, 3, 31], m.ctx)).toEqual([
      plan(2, '01:30'),
      plan(31, '23:00'),
    ]);
  });

  it('refuses a plan the codec cannot carry with PLAN_INVALID and sends nothing', async () => {
    const before = sim.params.readingParams([5]);
    await expect(poll?.setReadingPlan?.(gateway(71), [plan(5, '25:00')], m.ctx)).rejects.toMatchObject({
      code: 'PLAN_INVALID',
    });
    await expect(
      poll?.setReadingPlan?.(gateway(71), [{ ...plan(5, '01:00'), intervalMinutes: 0 }], m.ctx),
    ).rejects.toMatchObject({ code: 'PLAN_INVALID' });
    expect(sim.params.readingParams([5])).toEqual(before);
  });

  it('fails with GATEWAY_OFFLINE for a concentrator that is not connected', async () => {
    await expect(poll?.readReadingPlan?.(gateway(72), [2], m.ctx)).rejects.toMatchObject({
      code: 'GATEWAY_OFFLINE',
    });
    await expect(poll?.setReadingPlan?.(gateway(72), [plan(2, '01:00')], m.ctx)).rejects.toMatchObject({
      code: 'GATEWAY_OFFLINE',
    });
  });
});
