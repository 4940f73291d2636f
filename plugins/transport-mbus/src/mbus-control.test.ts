import { decode, extractor } from '@quadmeter/protocols/mbus/index.ts';
import type { ControlCommand } from '@quadmeter/sdk';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { MBUS_MEDIA } from '@quadmeter/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { configOf, type MbusConfig } from './config.ts';
import plugin from './index.ts';
import { closeLines } from './pool.ts';
import { meter, pastClock, type SimLine, tcpLine } from './test-lines.ts';

const lines: SimLine[] = [];
afterEach(async () => {
  await closeLines();
  while (lines.length) await lines.pop()?.close();
});

const { ctx } = makeTestContext<MbusConfig>({ pluginId: 'transport-mbus', config: configOf({}) });
const HOUR = 3_600_000;

describe('transport-mbus control', () => {
  it('time-sync writes the standard date-time record; the meter clock follows and its readings show it', async () => {
    const clock = pastClock();
    const heat = meter(clock, 5, '45000005');
    const water = meter(clock, 6, '45000006', MBUS_MEDIA.water);
    // every frame the meters are offered, to see what went on the wire
    const seen: Uint8Array[] = [];
    const spy = {
      ...heat,
      label: 'spy',
      createExtractor: () => extractor(),
      handle: (f: Uint8Array) => {
        seen.push(f);
        return null;
      },
    };
    const line = await tcpLine([heat, water, spy]);
    lines.push(line);
    clock.catchUp();
    heat.meter.hydraulic.clockOffsetMs = -5 * HOUR;
    water.meter.hydraulic.clockOffsetMs = 3 * HOUR;
    const cmd = (id: string, address: string, more: Partial<ControlCommand> = {}): ControlCommand => ({
      id,
      tenantId: TEST_TENANT_ID,
      meterId: id,
      ref: { protocol: 'mbus', address },
      line: line.ref,
      action: 'time-sync',
      ...more,
    });
    // readings carry the meter's clock: 5 hours behind before the sync
    const measured = async () => {
      const read = [];
      for await (const r of plugin.read(
        {
          tenantId: TEST_TENANT_ID,
          signal: ctx.signal,
          line: line.ref,
          meters: [{ meterId: 'h', ref: { protocol: 'mbus', address: '5' } }],
        },
        ctx,
      ))
        read.push(r);
      return read[0].ok ? Date.parse(read[0].reading.measuredAt) - clock.now() : Number.NaN;
    };
    expect(Math.abs((await measured()) + 5 * HOUR)).toBeLessThan(2 * 60_000);
    seen.length = 0;
    const byPrimary = await plugin.control(cmd('p', '5'), ctx);
    expect(byPrimary).toMatchObject({
      ok: true,
      status: 'confirmed',
      detail: expect.stringMatching(/^meter clock set to .+; the meter clock reads -?\d+ s off$/),
    });
    expect(Math.abs(heat.meter.hydraulic.clockOffsetMs)).toBeLessThan(2 * 60_000);
    expect(water.meter.hydraulic.clockOffsetMs).toBe(3 * HOUR);
    const snd = decode(seen[0]);
    expect([snd.cName, snd.a, snd.ci, snd.data?.slice(0, 4)]).toEqual(['SND_UD', 5, '51', '046D']);
    // then the read-back
    expect(decode(seen[1]).cName).toBe('REQ_UD2');
    // by secondary address: select, the write to FD, select, the read-back
    expect(await plugin.control(cmd('s', '45000006'), ctx)).toMatchObject({ ok: true, status: 'confirmed' });
    expect(Math.abs(water.meter.hydraulic.clockOffsetMs)).toBeLessThan(2 * 60_000);
    expect(seen.slice(2).map((f) => [decode(f).cName, decode(f).ci])).toEqual([
      ['SND_UD', '52'],
      ['SND_UD', '51'],
      ['SND_UD', '52'],
      ['REQ_UD2', undefined],
    ]);

    expect(Math.abs(await measured())).toBeLessThan(2 * 60_000);
  });

  it('valve and relay stay unsupported; expired commands and silent meters fail with stable codes', async () => {
    const clock = pastClock();
    const heat = meter(clock, 7, '45000007');
    const line = await tcpLine([heat], {}, { retries: 1 });
    lines.push(line);
    clock.catchUp();
    const base = {
      tenantId: TEST_TENANT_ID,
      meterId: 'h',
      line: line.ref,
      ref: { protocol: 'mbus', address: '7' },
    };
    for (const action of ['valve-close', 'relay-trip', 'freeze'] as const)
      expect(await plugin.control({ ...base, id: action, action }, ctx)).toMatchObject({
        ok: false,
        error: { code: 'ACTION_UNSUPPORTED', retryable: false },
      });
    heat.meter.hydraulic.clockOffsetMs = HOUR;
    const expired = await plugin.control(
      { ...base, id: 'e', action: 'time-sync', expiresAt: new Date(Date.now() - 1).toISOString() },
      ctx,
    );
    expect(expired).toMatchObject({ ok: false, error: { code: 'COMMAND_EXPIRED', retryable: false } });
    expect(line.bus.stats.requestFrames).toBe(0);
    expect(heat.meter.hydraulic.clockOffsetMs).toBe(HOUR);
    const silent = await plugin.control(
      { ...base, id: 's', action: 'time-sync', ref: { protocol: 'mbus', address: '9' } },
      ctx,
    );
    expect(silent).toMatchObject({ ok: false, error: { code: 'NO_REPLY', retryable: true } });
    expect(line.bus.stats.requestFrames).toBe(2);
  });

  it('a meter that acknowledges the write but keeps its clock is STATE_MISMATCH', async () => {
    const clock = pastClock();
    const heat = meter(clock, 8, '45000008');
    // E5 to every SND_UD CI 51, without taking it
    const deaf = {
      ...heat,
      label: 'deaf',
      createExtractor: () => extractor(),
      handle: (f: Uint8Array) => (decode(f).ci === '51' ? Uint8Array.of(0xe5) : heat.handle(f)),
    };
    const line = await tcpLine([deaf]);
    lines.push(line);
    clock.catchUp();
    heat.meter.hydraulic.clockOffsetMs = 4 * HOUR;
    const r = await plugin.control(
      {
        id: 'd',
        tenantId: TEST_TENANT_ID,
        meterId: 'd',
        ref: { protocol: 'mbus', address: '8' },
        line: line.ref,
        action: 'time-sync',
      },
      ctx,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'STATE_MISMATCH', retryable: true } });
    expect(heat.meter.hydraulic.clockOffsetMs).toBe(4 * HOUR);
  });
});
