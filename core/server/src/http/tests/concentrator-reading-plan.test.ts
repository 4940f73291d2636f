import type { ConcentratorSim } from '@quadmeter/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { userWith } from './archive-fixtures.ts';
import { type ArchiveWorld, archiveWorld, dial, downloadAudits } from './concentrator-archive-fixtures.ts';

// The concentrator's own reading plan (AFN 04 F33) derived from the tenant's reading schedules,
// set through the real master station in a simulated concentrator and read back (AFN 0A F33).
let w: ArchiveWorld;
let sim: ConcentratorSim;
let scopedB: Client;
let reader: Client;
beforeAll(async () => {
  w = await archiveWorld();
  sim = await dial(w, 81);
  scopedB = await userWith(w.p, w.admin, 'ops-b', ['meters.read', 'meters.control'], [w.areaB]);
  reader = await userWith(w.p, w.admin, 'reader', ['meters.read'], []);
});
afterAll(async () => {
  await Promise.all(w?.sims.map((s) => s.stop()) ?? []);
  await w?.p.stop();
});

const plan = (id: string) => `/api/v1/concentrators/${id}/reading-plan`;
const audits = () => downloadAudits(w, 'concentrators.reading-plan');
const ALL = Array.from({ length: 31 }, (_, i) => i + 1);
const block = (port: number, days: number[], time: string) => ({
  port,
  days,
  time,
  intervalMinutes: 60,
  segments: [{ start: '00:00', end: '24:00' }],
});

describe('concentrator reading plan', () => {
  it('derives nothing without schedules; with them sets the plan per port and reads it back', async () => {
    const none = await w.admin.get(plan(w.con[81]));
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ schedules: [], derived: [], device: [] });
    const monthly = await w.admin.post('/api/v1/reading-schedules', {
      name: '1号楼月冻结',
      target: 'area',
      targetId: w.areaA,
      kind: 'monthly',
      frequency: 'monthly',
      monthDay: 1,
      hour: 2,
      minute: 0,
    });
    expect(monthly.status).toBe(201);
    const shown = await w.admin.get(plan(w.con[81]));
    expect(shown.body.derived).toEqual([block(2, [1], '01:30'), block(31, [1], '01:30')]);
    expect(shown.body.device).toEqual([]);
    const daily = await w.admin.post('/api/v1/reading-schedules', {
      name: '一块表日冻结',
      target: 'meter',
      targetId: w.meters[0],
      kind: 'daily',
      frequency: 'daily',
      hour: 1,
      minute: 10,
    });
    expect(daily.status).toBe(201);
    const before = await audits();
    const set = await w.admin.post(plan(w.con[81]), {});
    expect(set.status).toBe(200);
    expect(set.body.schedules.map((s: { name: string }) => s.name).sort()).toEqual(
      ['1号楼月冻结', '一块表日冻结'].sort(),
    );
    expect(set.body.derived).toEqual([block(2, ALL, '00:40'), block(31, ALL, '00:40')]);
    expect(set.body.device).toEqual(set.body.derived);
    expect(sim.params.readingParams([2, 31]).map((b) => [b.port, b.control, b.time])).toEqual([
      [2, 0, '00:40'],
      [31, 0, '00:40'],
    ]);
    expect(await audits()).toBe(before + 1);
    // reading the plan back needs the concentrator on line
    const offline = await w.admin.get(plan(w.con[82]));
    expect([offline.status, offline.body.error.code]).toEqual([409, 'GATEWAY_OFFLINE']);
  });

  it('hides the plan from another tenant and from users outside the area, touching nothing', async () => {
    const before = await audits();
    const held = sim.params.readingParams([2, 31]);
    for (const r of [
      await w.other.get(plan(w.con[81])),
      await w.other.post(plan(w.con[81]), {}),
      await scopedB.get(plan(w.con[81])),
      await scopedB.post(plan(w.con[81]), {}),
    ]) {
      expect([r.status, r.body.error.code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
    }
    const push = await reader.post(plan(w.con[81]), {});
    expect([push.status, push.body.error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
    expect((await reader.get(plan(w.con[81]))).status).toBe(200);
    expect(sim.params.readingParams([2, 31])).toEqual(held);
    expect(await audits()).toBe(before);
  });

  it('answers stable 400s to bad input with nothing written', async () => {
    const before = await audits();
    const held = sim.params.readingParams([2, 31]);
    const cases: [Promise<{ status: number; body: { error: { code: string } } }>, string][] = [
      [w.admin.get(plan('not-a-uuid')), 'REQ_VALIDATION'],
      [w.admin.post(plan('not-a-uuid'), {}), 'REQ_VALIDATION'],
      [w.admin.post(plan(w.con[81]), { days: [1] }), 'REQ_VALIDATION'],
      [w.admin.post(plan(w.con[81]), { '\u0000': 1 }), 'REQ_VALIDATION'],
      [w.admin.post(plan(w.con[81]), []), 'REQ_VALIDATION'],
      [w.admin.request('POST', plan(w.con[81]), 'null'), 'REQ_VALIDATION'],
      [w.admin.request('POST', plan(w.con[81]), ''), 'REQ_JSON_MALFORMED'],
      [w.admin.post(plan(w.con[81]), '{"x":'), 'REQ_JSON_MALFORMED'],
    ];
    for (const [pending, code] of cases) {
      const r = await pending;
      expect([r.status, r.body.error.code]).toEqual([400, code]);
    }
    expect(sim.params.readingParams([2, 31])).toEqual(held);
    expect(await audits()).toBe(before);
  });
});
