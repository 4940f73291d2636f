import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, type ReadingWorld, readingRows, readingWorld } from './reading-fixtures.ts';

let w: ReadingWorld;
let taskAll: string;
let scheduleB: string;
beforeAll(async () => {
  w = await readingWorld();
  taskAll = (
    await w.admin.post('/api/v1/reading-tasks', { target: 'area', areaId: w.root, kind: 'realtime' })
  ).body.task.id;
  await finished(w.admin, taskAll);
  scheduleB = (
    await w.admin.post('/api/v1/reading-schedules', {
      name: '3号楼每小时',
      target: 'area',
      targetId: w.areaB,
      kind: 'realtime',
      frequency: 'hourly',
    })
  ).body.id;
});
afterAll(async () => w?.p.stop());

describe('reading routes and bad input', () => {
  it('answer a stable 4xx code and write nothing', async () => {
    const before = await readingRows(w);
    const huge = Array.from({ length: 5001 }, () => w.metersA[0]);
    const old = '2020-01-01';
    const cases: [Promise<{ status: number; body: { error: { code: string } } }>, string][] = [
      [w.admin.post('/api/v1/reading-tasks', {}), 'REQ_VALIDATION'],
      [
        w.admin.post('/api/v1/reading-tasks', { target: 'street', areaId: w.areaA, kind: 'realtime' }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-tasks', { target: 'meter', meterId: 'abc', kind: 'realtime' }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-tasks', { target: 'area', areaId: w.areaA, kind: 'hourly' }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-tasks', {
          target: 'area',
          areaId: w.areaA,
          kind: 'daily',
          frozenFor: `2026-11-01\u0000`,
        }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-tasks', {
          target: 'area',
          areaId: w.areaA,
          kind: 'daily',
          frozenFor: old,
        }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-tasks', {
          target: 'area',
          areaId: w.areaA,
          kind: 'monthly',
          frozenFor: '2026-13',
        }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-tasks', {
          target: 'area',
          areaId: w.areaA,
          kind: 'realtime',
          frozenFor: '2026-11-01',
        }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-tasks', {
          target: 'area',
          areaId: w.areaA,
          kind: 'realtime',
          rounds: 1e9,
        }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-tasks', {
          target: 'area',
          areaId: w.areaA,
          kind: 'realtime',
          rounds: '3',
        }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-tasks', { target: 'meters', meterIds: huge, kind: 'realtime' }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-tasks', { target: 'meters', meterIds: [], kind: 'realtime' }),
        'REQ_VALIDATION',
      ],
      [w.admin.post('/api/v1/reading-tasks', '{"target":'), 'REQ_JSON_MALFORMED'],
      [w.admin.post(`/api/v1/reading-tasks/${taskAll}/retry`, { meters: [] }), 'REQ_VALIDATION'],
      [w.admin.get('/api/v1/reading-tasks?limit=1000000000000'), 'REQ_VALIDATION'],
      [w.admin.get('/api/v1/reading-tasks?after=not!a!cursor'), 'LIST_CURSOR_INVALID'],
      [w.admin.get('/api/v1/reading-tasks?status=lost'), 'REQ_VALIDATION'],
      [w.admin.get('/api/v1/reading-tasks/not-a-uuid'), 'REQ_VALIDATION'],
      [w.admin.get(`/api/v1/reading-tasks/${taskAll}/meters?outcome=great`), 'REQ_VALIDATION'],
      [w.admin.get('/api/v1/reading-tasks/not-a-uuid/stream'), 'REQ_VALIDATION'],
      [w.admin.get(`/api/v1/meters/${w.metersA[0]}/consumption?granularity=week`), 'REQ_VALIDATION'],
      [
        w.admin.get(
          `/api/v1/meters/${w.metersA[0]}/consumption?granularity=day&from=2026-11-30&to=2025-01-01`,
        ),
        'REQ_VALIDATION',
      ],
      [
        w.admin.get(`/api/v1/meters/${w.metersA[0]}/consumption?granularity=month&from=2026-11-01`),
        'REQ_VALIDATION',
      ],
      [w.admin.get(`/api/v1/meters/${w.metersA[0]}/readings?from=yesterday`), 'REQ_VALIDATION'],
      [
        w.admin.get(`/api/v1/meters/${w.metersA[0]}/readings?after=eyJzIjoidHMiLCJrIjoieHwxIiwiaSI6ImEifQ`),
        'LIST_CURSOR_INVALID',
      ],
      [w.admin.post('/api/v1/reading-schedules', {}), 'REQ_VALIDATION'],
      [
        w.admin.post('/api/v1/reading-schedules', {
          name: 'n\u0000',
          target: 'area',
          targetId: w.areaA,
          kind: 'realtime',
          frequency: 'hourly',
        }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-schedules', {
          name: 'm',
          target: 'area',
          targetId: w.areaA,
          kind: 'realtime',
          frequency: 'hourly',
          minute: 60,
        }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-schedules', {
          name: 'c',
          target: 'area',
          targetId: w.areaA,
          kind: 'realtime',
          frequency: 'cron',
          cron: '61 * * * *',
        }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-schedules', {
          name: 'c',
          target: 'area',
          targetId: w.areaA,
          kind: 'realtime',
          frequency: 'cron',
        }),
        'REQ_VALIDATION',
      ],
      [
        w.admin.post('/api/v1/reading-schedules', {
          name: 'x'.repeat(101),
          target: 'area',
          targetId: w.areaA,
          kind: 'realtime',
          frequency: 'daily',
        }),
        'REQ_VALIDATION',
      ],
      [w.admin.patch(`/api/v1/reading-schedules/${scheduleB}`, {}), 'REQ_VALIDATION'],
      [w.admin.patch(`/api/v1/reading-schedules/${scheduleB}`, { rounds: 11 }), 'REQ_VALIDATION'],
    ];
    for (const [p, code] of cases) {
      const r = await p;
      expect(r.status, code).toBeGreaterThanOrEqual(400);
      expect(r.status, code).toBeLessThan(500);
      expect(r.body.error, JSON.stringify(r.body)).toMatchObject({ code });
    }
    expect(await readingRows(w)).toEqual(before);
  });

  it('refuse a task on an area without installed meters', async () => {
    const empty = await w.admin.post('/api/v1/areas', { parentId: w.root, name: '空楼', kind: 'building' });
    expect(empty.status).toBe(201);
    const before = await readingRows(w);
    const r = await w.admin.post('/api/v1/reading-tasks', {
      target: 'area',
      areaId: empty.body.id,
      kind: 'realtime',
    });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'READING_TASK_EMPTY' });
    expect(await readingRows(w)).toEqual(before);
  });
});
