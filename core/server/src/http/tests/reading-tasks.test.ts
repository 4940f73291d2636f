import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dltAddress } from '../../services/reading-tasks/engine-fixtures.ts';
import { finished, type ReadingWorld, readingWorld } from './reading-fixtures.ts';

let w: ReadingWorld;
beforeAll(async () => {
  w = await readingWorld();
});
afterAll(async () => w?.p.stop());

const DAY = 86_400_000;
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

describe('reading tasks over HTTP', () => {
  it('start an area task, report per-meter results with the stored readings and success per line and area', async () => {
    const made = await w.admin.post('/api/v1/reading-tasks', {
      target: 'area',
      areaId: w.root,
      kind: 'realtime',
    });
    expect(made.status).toBe(201);
    expect(made.body.task).toMatchObject({
      target: 'area',
      targetId: w.root,
      kind: 'realtime',
      frozenFor: null,
    });
    expect(made.body.summary.total).toBe(4);
    const done = await finished(w.admin, made.body.task.id);
    expect(done.task.status).toBe('done');
    expect(done.summary).toMatchObject({ total: 4, success: 4, failed: 0, pending: 0, rate: 1 });
    expect(done.summary.lines.map((l: { key: string }) => l.key).sort()).toEqual([
      'serial:tcp://10.0.0.1:4001',
      'serial:tcp://10.0.0.2:4001',
    ]);
    expect(done.summary.areas.map((a: { name: string; rate: number }) => [a.name, a.rate]).sort()).toEqual([
      ['1号楼', 1],
      ['3号楼', 1],
    ]);
    for (const r of done.results.items) {
      expect(r).toMatchObject({ outcome: 'ok', transport: 'transport-test', attempts: 1 });
      expect(r.reading.kind).toBe('realtime');
      expect(Number(r.reading.value)).toBeGreaterThan(100);
    }
    const readings = await w.admin.get(`/api/v1/meters/${w.metersA[0]}/readings`);
    expect(readings.status).toBe(200);
    expect(readings.body.items[0]).toMatchObject({
      kind: 'realtime',
      value: done.results.items[0].reading.value,
      status: null,
    });
    // a stored status word comes back with its fields as the meter type decodes them, per protocol
    await w.p.running.platform.database.sql`update readings set status = ${0x10 << 16},
      status_protocol = 'dlt645-2007' where meter_id = ${w.metersA[0]}`;
    const decoded = (await w.admin.get(`/api/v1/meters/${w.metersA[0]}/readings`)).body.items[0];
    expect(decoded.status).toMatchObject({
      word: 0x10 << 16,
      protocol: 'dlt645-2007',
      fields: { relay: 'open', activeReversed: false },
    });
    const kinds = (await w.admin.get('/api/v1/meters/kinds')).body.items;
    const power = kinds.find((k: { id: string }) => k.id === 'meter-power');
    expect(power.statusFields.map((f: { key: string }) => f.key)).toContain('relay');
  });

  it('single-meter reads of frozen days build the consumption series per day and month', async () => {
    const meter = w.metersA[1];
    const now = Date.now();
    for (const day of [shanghaiDay(now - 2 * DAY), shanghaiDay(now - DAY)]) {
      const r = await w.admin.post('/api/v1/reading-tasks', {
        target: 'meter',
        meterId: meter,
        kind: 'daily',
        frozenFor: day,
      });
      expect(r.status).toBe(201);
      expect((await finished(w.admin, r.body.task.id)).results.items[0]).toMatchObject({
        outcome: 'ok',
        reading: { kind: 'daily', ts: new Date(Date.parse(`${day}T00:00:00+08:00`)).toISOString() },
      });
    }
    const daily = await w.admin.get(`/api/v1/meters/${meter}/consumption?granularity=day`);
    expect(daily.status).toBe(200);
    // the simulated meter draws 1 kW: the day between the two frozen values used 24 kWh
    const day2 = daily.body.items.find((i: { period: string }) => i.period === shanghaiDay(now - 2 * DAY));
    expect(Number(day2.usage)).toBeCloseTo(24, 2);
    const monthly = await w.admin.get(`/api/v1/meters/${meter}/consumption?granularity=month`);
    expect(monthly.status).toBe(200);
    const total = monthly.body.items.reduce((s: number, i: { usage: string }) => s + Number(i.usage), 0);
    expect(total).toBeGreaterThanOrEqual(24);
    const frozen = await w.admin.get(`/api/v1/meters/${meter}/readings?kind=daily&limit=1`);
    expect(frozen.body.items.length).toBe(1);
    const page2 = await w.admin.get(
      `/api/v1/meters/${meter}/readings?kind=daily&limit=1&after=${frozen.body.next}`,
    );
    expect(page2.body.items[0].ts < frozen.body.items[0].ts).toBe(true);
  });

  it('stream live progress per line as server-sent events until the task is done', async () => {
    w.field.delayMs = 150;
    const made = await w.admin.post('/api/v1/reading-tasks', {
      target: 'meters',
      meterIds: [...w.metersA, ...w.metersB],
      kind: 'realtime',
    });
    const res = await fetch(`${w.p.baseUrl}/api/v1/reading-tasks/${made.body.task.id}/stream`, {
      headers: { cookie: w.admin.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    w.field.delayMs = 0;
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({
      event: m[1],
      data: JSON.parse(m[2]),
    }));
    expect(events.at(-1)).toEqual({ event: 'done', data: { status: 'done' } });
    const progress = events.filter((e) => e.event === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)?.data).toMatchObject({ status: 'done', success: 4, pending: 0 });
    expect(progress.at(-1)?.data.lines.map((l: { total: number }) => l.total)).toEqual([2, 2]);
  });

  it('retry the failed meters of a finished task (补抄), and refuse while it runs', async () => {
    w.field.faults.set(dltAddress(0), { fault: 'drop', times: Infinity });
    const made = await w.admin.post('/api/v1/reading-tasks', {
      target: 'meters',
      meterIds: w.metersA,
      kind: 'realtime',
      rounds: 1,
      fallback: false,
    });
    const busy = await w.admin.post(`/api/v1/reading-tasks/${made.body.task.id}/retry`, {});
    expect(busy.body.error).toMatchObject({ code: 'READING_TASK_BUSY' });
    expect(busy.status).toBe(409);
    const first = await finished(w.admin, made.body.task.id);
    expect(first.summary).toMatchObject({ success: 1, failed: 1 });
    const failed = first.results.items.find((r: { outcome: string }) => r.outcome !== 'ok');
    expect(failed).toMatchObject({
      outcome: 'timeout',
      attempts: 2,
      detail: expect.stringContaining('TIMEOUT'),
    });
    w.field.faults.clear();
    const retried = await w.admin.post(`/api/v1/reading-tasks/${made.body.task.id}/retry`, {});
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ retried: 1 });
    const again = await finished(w.admin, made.body.task.id);
    expect(again.summary).toMatchObject({ success: 2, failed: 0, rate: 1 });
    const only = await w.admin.get(`/api/v1/reading-tasks/${made.body.task.id}/meters?outcome=ok&limit=1`);
    expect(only.body.items.length).toBe(1);
    expect(
      (await w.admin.get(`/api/v1/reading-tasks/${made.body.task.id}/meters?after=${only.body.next}`)).body
        .items.length,
    ).toBe(1);
  });

  it('list the history newest first, keyset-paged, and audit starts', async () => {
    const p1 = await w.admin.get('/api/v1/reading-tasks?limit=2');
    expect(p1.status).toBe(200);
    expect(p1.body.items.length).toBe(2);
    const p2 = await w.admin.get(`/api/v1/reading-tasks?limit=2&after=${p1.body.next}`);
    const all = [...p1.body.items, ...p2.body.items].map((t: { createdAt: string }) => t.createdAt);
    expect([...all].sort().reverse()).toEqual(all);
    expect(new Set([...p1.body.items, ...p2.body.items].map((t: { id: string }) => t.id)).size).toBe(4);
    const audit = await w.admin.get('/api/v1/audit?action=reading-tasks.start');
    expect(audit.body.items.length).toBeGreaterThan(0);
  });

  it('keep schedules: add, list, change, refuse a taken name, delete', async () => {
    const made = await w.admin.post('/api/v1/reading-schedules', {
      name: '每日冻结',
      target: 'area',
      targetId: w.areaA,
      kind: 'daily',
      frequency: 'daily',
      hour: 1,
      minute: 30,
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ cron: '30 1 * * *', enabled: true, rounds: 3, lastSlot: null });
    const changed = await w.admin.patch(`/api/v1/reading-schedules/${made.body.id}`, {
      frequency: 'cron',
      cron: '*/30 * * * *',
    });
    expect(changed.body).toMatchObject({ frequency: 'cron', cron: '*/30 * * * *' });
    const taken = await w.admin.post('/api/v1/reading-schedules', {
      name: '每日冻结',
      target: 'meter',
      targetId: w.metersA[0],
      kind: 'realtime',
      frequency: 'hourly',
    });
    expect(taken.body.error).toMatchObject({ code: 'RESOURCE_CONFLICT' });
    const list = await w.admin.get('/api/v1/reading-schedules');
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['每日冻结']);
    expect((await w.admin.delete(`/api/v1/reading-schedules/${made.body.id}`)).status).toBe(204);
    expect((await w.admin.get(`/api/v1/reading-schedules/${made.body.id}`)).body.error).toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
    });
  });
});
