import type { ConcentratorSim } from '@quadmeter/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ArchiveWorld,
  archiveWorld,
  dial,
  downloadAudits,
  meterAddress,
} from './concentrator-archive-fixtures.ts';

// 档案下载 end to end: the archive routes drive the real master station (transport-gdw1376),
// which talks Q/GDW 1376.1 over TCP to a simulated concentrator that keeps its AFN 04 F10 table.
let w: ArchiveWorld;
let sim: ConcentratorSim;
beforeAll(async () => {
  w = await archiveWorld();
  sim = await dial(w, 81);
});
afterAll(async () => {
  await Promise.all(w?.sims.map((s) => s.stop()) ?? []);
  await w?.p.stop();
});

const statuses = (body: { entries: { point: number; status: string; fields?: string[] }[] }) =>
  body.entries.map((e) => [e.point, e.status, ...(e.fields ? [e.fields] : [])]);

describe('concentrator archive download (档案下载)', () => {
  it('finds every meter missing from a fresh concentrator, downloads them and reads back all matching', async () => {
    const fresh = await w.admin.get(`/api/v1/concentrators/${w.con[81]}/archive`);
    expect(fresh.status).toBe(200);
    expect(fresh.body.counts).toEqual({ match: 0, missing: 3, extra: 0, mismatch: 0 });
    expect(fresh.body.entries[0]).toEqual({
      point: 1,
      status: 'missing',
      archive: {
        meterId: w.meters[0],
        assetNo: `E-${meterAddress(1)}`,
        address: meterAddress(1),
        port: 2,
        protocol: 'dlt645-2007',
      },
    });
    expect(Number.isNaN(Date.parse(fresh.body.readAt))).toBe(false);
    const audits = await downloadAudits(w);
    const done = await w.admin.post(`/api/v1/concentrators/${w.con[81]}/archive/download`, {});
    expect(done.status).toBe(200);
    expect(done.body.points).toEqual([1, 2, 3]);
    expect(done.body.download).toEqual({ accepted: 3, rejected: [] });
    expect(done.body.remove).toBeNull();
    expect(done.body.diff.counts).toEqual({ match: 3, missing: 0, extra: 0, mismatch: 0 });
    expect(done.body.diff.entries[2].device).toEqual({
      address: meterAddress(3),
      port: 31,
      protocol: 'dlt645-2007',
      collector: '000000000042',
    });
    // the concentrator holds exactly the archive, serial number = measuring point
    expect(sim.params.records().map((r) => [r.serial, r.pn, r.port, r.address, r.collector])).toEqual([
      [1, 1, 2, meterAddress(1), '000000000000'],
      [2, 2, 2, meterAddress(2), '000000000000'],
      [3, 3, 31, meterAddress(3), '000000000042'],
    ]);
    expect(await downloadAudits(w)).toBe(audits + 1);
    const again = await w.admin.get(`/api/v1/concentrators/${w.con[81]}/archive`);
    expect(again.body.counts).toEqual({ match: 3, missing: 0, extra: 0, mismatch: 0 });
  });

  it('finds a changed address, a dropped point and an extra one, and one click fixes all three', async () => {
    sim.params.plant({ serial: 2, address: '999999999999' });
    sim.params.plant({ serial: 3, port: 4 });
    sim.params.drop(1);
    sim.params.plant({ serial: 9, pn: 9, address: '000000000009', port: 3 });
    const diff = await w.admin.get(`/api/v1/concentrators/${w.con[81]}/archive`);
    expect(diff.status).toBe(200);
    expect(diff.body.counts).toEqual({ match: 0, missing: 1, extra: 1, mismatch: 2 });
    expect(statuses(diff.body)).toEqual([
      [1, 'missing'],
      [2, 'mismatch', ['address']],
      [3, 'mismatch', ['port']],
      [9, 'extra'],
    ]);
    expect(diff.body.entries[3]).toEqual({
      point: 9,
      status: 'extra',
      device: { address: '000000000009', port: 3, protocol: 'dlt645-2007', collector: '' },
    });
    expect(diff.body.entries[1].device.address).toBe('999999999999');
    // without removeExtra the extra point stays
    const partial = await w.admin.post(`/api/v1/concentrators/${w.con[81]}/archive/download`, {
      points: [2],
    });
    expect(partial.status).toBe(200);
    expect(partial.body.points).toEqual([2]);
    expect(statuses(partial.body.diff)).toEqual([
      [1, 'missing'],
      [2, 'match'],
      [3, 'mismatch', ['port']],
      [9, 'extra'],
    ]);
    const fix = await w.admin.post(`/api/v1/concentrators/${w.con[81]}/archive/download`, {
      removeExtra: true,
    });
    expect(fix.status).toBe(200);
    expect(fix.body.points).toEqual([1, 3]);
    expect(fix.body.removed).toEqual([9]);
    expect(fix.body.remove).toEqual({ accepted: 1, rejected: [] });
    expect(fix.body.diff.counts).toEqual({ match: 3, missing: 0, extra: 0, mismatch: 0 });
    expect(sim.params.records().map((r) => [r.serial, r.pn, r.port, r.address])).toEqual([
      [1, 1, 2, meterAddress(1)],
      [2, 2, 2, meterAddress(2)],
      [3, 3, 31, meterAddress(3)],
    ]);
  });

  it('sees a point held twice as a duplicate mismatch', async () => {
    sim.params.plant({ serial: 40, pn: 2, address: meterAddress(2), port: 2 });
    const diff = await w.admin.get(`/api/v1/concentrators/${w.con[81]}/archive`);
    expect(statuses(diff.body)).toEqual([
      [1, 'match'],
      [2, 'mismatch', ['duplicate']],
      [3, 'match'],
    ]);
    sim.params.drop(40);
  });

  it('answers GATEWAY_OFFLINE for a concentrator that has not dialled in, and writes nothing', async () => {
    const audits = await downloadAudits(w);
    const read = await w.admin.get(`/api/v1/concentrators/${w.con[82]}/archive`);
    expect(read.status).toBe(409);
    expect(read.body.error.code).toBe('GATEWAY_OFFLINE');
    const push = await w.admin.post(`/api/v1/concentrators/${w.con[82]}/archive/download`, {});
    expect(push.status).toBe(409);
    expect(push.body.error.code).toBe('GATEWAY_OFFLINE');
    expect(await downloadAudits(w)).toBe(audits);
  });
});
