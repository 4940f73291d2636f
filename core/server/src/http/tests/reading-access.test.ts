import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { userWith } from './archive-fixtures.ts';
import { finished, type ReadingWorld, readingRows, readingWorld } from './reading-fixtures.ts';

let w: ReadingWorld;
let taskAll: string;
let taskB: string;
let scheduleB: string;
let scoped: Client;
beforeAll(async () => {
  w = await readingWorld();
  taskAll = (
    await w.admin.post('/api/v1/reading-tasks', { target: 'area', areaId: w.root, kind: 'realtime' })
  ).body.task.id;
  taskB = (await w.admin.post('/api/v1/reading-tasks', { target: 'area', areaId: w.areaB, kind: 'realtime' }))
    .body.task.id;
  await finished(w.admin, taskAll);
  await finished(w.admin, taskB);
  scheduleB = (
    await w.admin.post('/api/v1/reading-schedules', {
      name: '3号楼每小时',
      target: 'area',
      targetId: w.areaB,
      kind: 'realtime',
      frequency: 'hourly',
    })
  ).body.id;
  scoped = await userWith(
    w.p,
    w.admin,
    'reader-a',
    ['meters.read', 'meters.read-now', 'readings.schedule'],
    [w.areaA],
  );
});
afterAll(async () => w?.p.stop());

describe('reading routes across tenants', () => {
  it('answer 404 for another tenant’s tasks, schedules and meters, and change nothing', async () => {
    const before = await readingRows(w);
    const probes = [
      w.other.get(`/api/v1/reading-tasks/${taskAll}`),
      w.other.get(`/api/v1/reading-tasks/${taskAll}/meters`),
      w.other.get(`/api/v1/reading-tasks/${taskAll}/stream`),
      w.other.post(`/api/v1/reading-tasks/${taskAll}/retry`, {}),
      w.other.get(`/api/v1/reading-schedules/${scheduleB}`),
      w.other.patch(`/api/v1/reading-schedules/${scheduleB}`, { enabled: false }),
      w.other.delete(`/api/v1/reading-schedules/${scheduleB}`),
      w.other.get(`/api/v1/meters/${w.metersA[0]}/readings`),
      w.other.get(`/api/v1/meters/${w.metersA[0]}/consumption`),
      w.other.post('/api/v1/reading-tasks', { target: 'meter', meterId: w.metersA[0], kind: 'realtime' }),
      w.other.post('/api/v1/reading-tasks', { target: 'area', areaId: w.areaA, kind: 'realtime' }),
      w.other.post('/api/v1/reading-schedules', {
        name: 'x',
        target: 'meter',
        targetId: w.metersA[0],
        kind: 'realtime',
        frequency: 'hourly',
      }),
    ];
    for (const r of await Promise.all(probes)) {
      expect(r.status).toBe(404);
      expect(['RESOURCE_NOT_FOUND', 'AREA_OUT_OF_SCOPE']).toContain(r.body.error.code);
    }
    expect((await w.other.get('/api/v1/reading-tasks')).body.items).toEqual([]);
    expect((await w.other.get('/api/v1/reading-schedules')).body.items).toEqual([]);
    expect(await readingRows(w)).toEqual(before);
    expect((await w.admin.get(`/api/v1/reading-schedules/${scheduleB}`)).body.enabled).toBe(true);
  });
});

describe('reading routes within a user’s areas', () => {
  it('refuse to start tasks or schedules on meters and areas outside them', async () => {
    const before = await readingRows(w);
    const meter = await scoped.post('/api/v1/reading-tasks', {
      target: 'meter',
      meterId: w.metersB[0],
      kind: 'realtime',
    });
    expect(meter.body.error).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    const batch = await scoped.post('/api/v1/reading-tasks', {
      target: 'meters',
      meterIds: [w.metersA[0], w.metersB[0]],
      kind: 'realtime',
    });
    expect(batch.body.error).toMatchObject({ code: 'RESOURCE_NOT_FOUND', details: { ids: [w.metersB[0]] } });
    const area = await scoped.post('/api/v1/reading-tasks', {
      target: 'area',
      areaId: w.areaB,
      kind: 'daily',
    });
    expect(area.body.error).toMatchObject({ code: 'AREA_OUT_OF_SCOPE' });
    const sched = await scoped.post('/api/v1/reading-schedules', {
      name: 'B',
      target: 'area',
      targetId: w.areaB,
      kind: 'realtime',
      frequency: 'daily',
    });
    expect(sched.body.error).toMatchObject({ code: 'AREA_OUT_OF_SCOPE' });
    expect(await readingRows(w)).toEqual(before);
  });

  it('show only tasks, results, schedules and readings that reach them', async () => {
    expect((await scoped.get(`/api/v1/reading-tasks/${taskB}`)).body.error).toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
    });
    expect((await scoped.get(`/api/v1/reading-tasks/${taskB}/stream`)).status).toBe(404);
    expect((await scoped.post(`/api/v1/reading-tasks/${taskB}/retry`, {})).status).toBe(404);
    const list = (await scoped.get('/api/v1/reading-tasks')).body.items.map((t: { id: string }) => t.id);
    expect(list).toContain(taskAll);
    expect(list).not.toContain(taskB);
    const all = (await scoped.get(`/api/v1/reading-tasks/${taskAll}`)).body;
    expect(all.summary).toMatchObject({ total: 2, success: 2 });
    expect(all.summary.areas.map((a: { name: string }) => a.name)).toEqual(['1号楼']);
    expect(all.results.items.map((r: { meterId: string }) => r.meterId).sort()).toEqual(
      [...w.metersA].sort(),
    );
    expect((await scoped.get('/api/v1/reading-schedules')).body.items).toEqual([]);
    expect((await scoped.get(`/api/v1/reading-schedules/${scheduleB}`)).status).toBe(404);
    expect((await scoped.delete(`/api/v1/reading-schedules/${scheduleB}`)).status).toBe(404);
    expect((await scoped.get(`/api/v1/meters/${w.metersB[0]}/readings`)).status).toBe(404);
    expect((await scoped.get(`/api/v1/meters/${w.metersA[0]}/readings`)).status).toBe(200);
    const own = await scoped.post('/api/v1/reading-tasks', {
      target: 'area',
      areaId: w.areaA,
      kind: 'realtime',
    });
    expect(own.status).toBe(201);
    expect((await finished(scoped, own.body.task.id)).summary).toMatchObject({ total: 2, success: 2 });
  });
});

describe('groups within a user’s areas', () => {
  it('read only the group’s meters in the user’s areas, and a group reaching beyond them is not scheduled', async () => {
    const g = await w.admin.post('/api/v1/meter-groups', {
      name: '跨楼分组',
      kind: 'static',
      memberIds: [w.metersA[0], w.metersB[0]],
    });
    expect(g.status).toBe(201);
    const made = await scoped.post('/api/v1/reading-tasks', {
      target: 'group',
      groupId: g.body.id,
      kind: 'realtime',
    });
    expect(made.status).toBe(201);
    const done = await finished(scoped, made.body.task.id);
    expect(done.results.items.map((r: { meterId: string }) => r.meterId)).toEqual([w.metersA[0]]);
    expect((await finished(w.admin, made.body.task.id)).summary.total).toBe(1);
    const sched = await scoped.post('/api/v1/reading-schedules', {
      name: '跨楼',
      target: 'group',
      targetId: g.body.id,
      kind: 'realtime',
      frequency: 'hourly',
    });
    expect(sched.status).toBe(403);
    expect(sched.body.error).toMatchObject({ code: 'AUTH_FORBIDDEN' });
  });
});

describe('reading routes and permissions', () => {
  it('need meters.read-now to start or retry, readings.schedule to change schedules, meters.read to look', async () => {
    const viewer = await userWith(w.p, w.admin, 'viewer', ['meters.read']);
    const nobody = await userWith(w.p, w.admin, 'nobody', ['areas.read']);
    const before = await readingRows(w);
    const denied = [
      viewer.post('/api/v1/reading-tasks', { target: 'area', areaId: w.areaA, kind: 'realtime' }),
      viewer.post(`/api/v1/reading-tasks/${taskAll}/retry`, {}),
      viewer.post('/api/v1/reading-schedules', {
        name: 'v',
        target: 'area',
        targetId: w.areaA,
        kind: 'realtime',
        frequency: 'hourly',
      }),
      viewer.patch(`/api/v1/reading-schedules/${scheduleB}`, { enabled: false }),
      viewer.delete(`/api/v1/reading-schedules/${scheduleB}`),
      nobody.get('/api/v1/reading-tasks'),
      nobody.get(`/api/v1/reading-tasks/${taskAll}`),
      nobody.get(`/api/v1/reading-tasks/${taskAll}/stream`),
      nobody.get('/api/v1/reading-schedules'),
      nobody.get(`/api/v1/meters/${w.metersA[0]}/readings`),
      nobody.get(`/api/v1/meters/${w.metersA[0]}/consumption?granularity=month`),
    ];
    for (const r of await Promise.all(denied)) {
      expect(r.status).toBe(403);
      expect(r.body.error).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    }
    expect(await readingRows(w)).toEqual(before);
    expect((await viewer.get(`/api/v1/reading-tasks/${taskAll}`)).status).toBe(200);
    expect((await viewer.get('/api/v1/reading-schedules')).status).toBe(200);
  });
});
