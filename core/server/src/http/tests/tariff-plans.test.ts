import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { inDemo } from './archive-fixtures.ts';
import { waterBody } from './tariff-fixtures.ts';

let p: TestPlatform;
let admin: Client;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
});
afterAll(async () => p?.stop());

const audits = async (action: string) =>
  (
    await inDemo(p, (tx) =>
      tx.execute<{ n: number }>(sql`select count(*)::int n from audit_log where action = ${action}`),
    )
  )[0].n;

describe('tariff plans and versions', () => {
  it('creates, lists, reads and changes a plan; code and kind stay', async () => {
    const made = await admin.post('/api/v1/tariff-plans', {
      code: 'w-res',
      kind: 'meter-water',
      name: '居民水价',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      code: 'w-res',
      kind: 'meter-water',
      name: '居民水价',
      description: '',
      status: 'active',
    });
    const again = await admin.post('/api/v1/tariff-plans', { code: 'w-res', kind: 'meter-gas', name: 'x' });
    expect([again.status, again.body.error.code]).toEqual([409, 'RESOURCE_CONFLICT']);
    const changed = await admin.patch(`/api/v1/tariff-plans/${made.body.id}`, {
      description: '2026 起',
      name: '居民用水',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ code: 'w-res', name: '居民用水', description: '2026 起' });
    const list = await admin.get('/api/v1/tariff-plans?kind=meter-water');
    // the demo tenant comes with the docs/tariffs water plans (demo-tariffs.ts)
    expect(list.body.items.map((x: { code: string }) => x.code)).toEqual([
      'bj-water',
      'bj-water-nonresidential',
      'w-res',
    ]);
    expect((await admin.get(`/api/v1/tariff-plans/${made.body.id}`)).body.name).toBe('居民用水');
    expect(await audits('tariff-plans.create')).toBe(1);
    expect(await audits('tariff-plans.update')).toBe(1);
  });

  it('keeps drafts editable, publishes once, refuses changes after and a clash on the date', async () => {
    const plan = (await admin.post('/api/v1/tariff-plans', { code: 'w2', kind: 'meter-water', name: 'w2' }))
      .body;
    const base = `/api/v1/tariff-plans/${plan.id}/versions`;
    const d1 = await admin.post(base, { body: waterBody('w2', '2026-01-01'), note: '初稿' });
    expect(d1.status).toBe(201);
    expect(d1.body).toMatchObject({ version: 1, status: 'draft', effectiveFrom: '2026-01-01', note: '初稿' });
    const moved = await admin.patch(`${base}/${d1.body.id}`, {
      body: waterBody('w2', '2026-02-01', { price: '3.5' }),
    });
    expect(moved.body).toMatchObject({ version: 1, effectiveFrom: '2026-02-01', status: 'draft' });
    const pub = await admin.post(`${base}/${d1.body.id}/publish`);
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ status: 'published', publishedByName: '演示管理员' });
    expect(pub.body.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const edit = await admin.patch(`${base}/${d1.body.id}`, { note: 'changed' });
    expect([edit.status, edit.body.error.code]).toEqual([409, 'RECORD_IMMUTABLE']);
    const del = await admin.delete(`${base}/${d1.body.id}`);
    expect([del.status, del.body.error.code]).toEqual([409, 'RECORD_IMMUTABLE']);
    const twice = await admin.post(`${base}/${d1.body.id}/publish`);
    expect(twice.body.error.code).toBe('RECORD_IMMUTABLE');

    const copy = await admin.post(`${base}/${d1.body.id}/copy`);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ version: 2, status: 'draft', effectiveFrom: '2026-02-01' });
    expect(copy.body.body).toEqual(pub.body.body);
    const clash = await admin.post(`${base}/${copy.body.id}/publish`);
    expect([clash.status, clash.body.error.code]).toEqual([409, 'TARIFF_VERSION_CLASH']);
    expect(clash.body.error.details).toEqual({ effectiveFrom: '2026-02-01', version: 1 });
    expect((await admin.get(`${base}/${copy.body.id}`)).body.status).toBe('draft');

    const later = await admin.patch(`${base}/${copy.body.id}`, {
      body: waterBody('w2', '2026-07-01', { price: '4' }),
    });
    expect(later.body.effectiveFrom).toBe('2026-07-01');
    expect((await admin.post(`${base}/${copy.body.id}/publish`)).body.status).toBe('published');
    const scrap = await admin.post(base, { body: waterBody('w2', '2027-01-01') });
    expect(scrap.body.version).toBe(3);
    expect((await admin.delete(`${base}/${scrap.body.id}`)).status).toBe(204);
    const list = (await admin.get(base)).body.items;
    expect(list.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'published'],
      [1, 'published'],
    ]);
    expect(await audits('tariff-versions.publish')).toBe(2);
    expect(await audits('tariff-versions.copy')).toBe(1);
    expect(await audits('tariff-versions.delete')).toBe(1);
  });

  it('checks a draft body with the tariff parser and the plan', async () => {
    const plan = (await admin.post('/api/v1/tariff-plans', { code: 'w3', kind: 'meter-water', name: 'w3' }))
      .body;
    const base = `/api/v1/tariff-plans/${plan.id}/versions`;
    const cases: [unknown, string][] = [
      [{ ...waterBody('w3', '2026-01-01'), formatVersion: 2 }, 'formatVersion'],
      [waterBody('other', '2026-01-01'), 'code'],
      [{ ...waterBody('w3', '2026-01-01'), meterKind: 'gas' }, 'meterKind'],
      [
        {
          ...waterBody('w3', '2026-01-01'),
          versions: [...waterBody('w3', '2026-01-01').versions, ...waterBody('w3', '2026-03-01').versions],
        },
        'versions',
      ],
    ];
    for (const [body, path] of cases) {
      const r = await admin.post(base, { body });
      expect([r.status, r.body.error.code], path).toEqual([400, 'TARIFF_INVALID']);
      expect(
        r.body.error.details.map((d: { path: string }) => d.path),
        path,
      ).toContain(path);
    }
    expect((await admin.get(base)).body.items).toEqual([]);
  });

  it('a retired plan takes no new versions and publishes none', async () => {
    const plan = (await admin.post('/api/v1/tariff-plans', { code: 'w4', kind: 'meter-water', name: 'w4' }))
      .body;
    const base = `/api/v1/tariff-plans/${plan.id}/versions`;
    const d = (await admin.post(base, { body: waterBody('w4', '2026-01-01') })).body;
    await admin.patch(`/api/v1/tariff-plans/${plan.id}`, { status: 'retired' });
    const add = await admin.post(base, { body: waterBody('w4', '2026-03-01') });
    expect([add.status, add.body.error.code]).toEqual([409, 'TARIFF_PLAN_RETIRED']);
    expect((await admin.post(`${base}/${d.id}/publish`)).body.error.code).toBe('TARIFF_PLAN_RETIRED');
    expect((await admin.get(base)).body.items.map((v: { status: string }) => v.status)).toEqual(['draft']);
  });
});
