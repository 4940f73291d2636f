import { CJT188_TYPES, Cjt188Device, Cjt188Meter, type ManualClock } from '@quadmeter/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { run, setupControl, valve, WATER_PORT } from './control-support.ts';
import { JammedValveMeter, VagueValveDevice } from './test-faults.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const setup = (a2: number, clock?: ManualClock) => setupControl(cleanups, a2, clock);

describe('valves of CJ/T 188 water meters behind the concentrator', () => {
  it('a valve close is forwarded on the meter port and confirmed by the ST bits; open again', async () => {
    const { m, s, water } = await setup(51);
    const closed = await run(valve(51, 'valve-close', 2), m.ctx);
    expect(closed).toMatchObject({ ok: true, status: 'confirmed', state: { valve: 'closed' } });
    expect(water.map((d) => d.meter.valve)).toEqual(['open', 'closed', 'open']);
    expect(s.wire.ports).toMatchObject({ forwards: 1, answered: 1 });
    expect(await run(valve(51, 'valve-open', 2), m.ctx)).toMatchObject({
      status: 'confirmed',
      state: { valve: 'open' },
    });
    expect(water[1].meter.valve).toBe('open');
  });

  it('a jammed valve is STATE_MISMATCH; a meter on another port does not answer: NO_REPLY', async () => {
    const { m, s, clock } = await setup(52);
    const address = '35010052000009';
    const jammed = new JammedValveMeter({ type: CJT188_TYPES.coldWater, address, clock });
    s.options.table.attachOnPort(WATER_PORT, new Cjt188Device(jammed));
    const c = valve(52, 'valve-close', 9, { ref: { protocol: 'cjt188', address } });
    expect(await run(c, m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'STATE_MISMATCH', retryable: true },
    });
    expect(await run(valve(52, 'valve-close', 1, { params: { port: 4 } }), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'NO_REPLY', retryable: true },
    });
  });

  it('a valve answer without the valve bits is checked by a 901F read through the same port', async () => {
    const { m, s, clock } = await setup(53);
    const address = '35010053000009';
    const meter = new Cjt188Meter({ type: CJT188_TYPES.coldWater, address, clock });
    s.options.table.attachOnPort(WATER_PORT, new VagueValveDevice(meter));
    const c = valve(53, 'valve-close', 9, { ref: { protocol: 'cjt188', address } });
    expect(await run(c, m.ctx)).toMatchObject({ ok: true, status: 'confirmed', state: { valve: 'closed' } });
    expect(meter.valve).toBe('closed');
    expect(s.wire.ports).toMatchObject({ forwards: 2, answered: 2 });
  });

  it('a command naming its concentrator by route only; time sync of a water meter is not a command', async () => {
    const { m, water } = await setup(54);
    const routeOnly = valve(54, 'valve-close', 3, { line: undefined });
    expect(await run(routeOnly, m.ctx)).toMatchObject({ ok: true, status: 'confirmed' });
    expect(water[2].meter.valve).toBe('closed');
    expect(await run(valve(54, 'valve-close', 3, { action: 'time-sync' }), m.ctx)).toMatchObject({
      ok: false,
      error: { code: 'CONTROL_UNSUPPORTED', retryable: false },
    });
    expect(await run(valve(54, 'valve-close', 3, { action: 'relay-trip' }), m.ctx)).toMatchObject({
      error: { code: 'CONTROL_UNSUPPORTED' },
    });
  });
});
