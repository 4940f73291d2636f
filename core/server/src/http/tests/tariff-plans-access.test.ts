import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { demoAreas, inDemo, otherTenant, userWith } from './archive-fixtures.ts';
import { waterBody } from './tariff-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let plan: string;
let draft: string;
let published: string;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  plan = (await admin.post('/api/v1/tariff-plans', { code: 'wa', kind: 'meter-water', name: '水' })).body.id;
  const base = `/api/v1/tariff-plans/${plan}/versions`;
  published = (await admin.post(base, { body: waterBody('wa', '2026-01-01') })).body.id;
  await admin.post(`${base}/${published}/publish`);
  draft = (await admin.post(base, { body: waterBody('wa', '2027-01-01') })).body.id;
});
afterAll(async () => p?.stop());

/** Plans and versions as stored, to prove a refused request wrote nothing. */
const snapshot = () =>
  inDemo(p, (tx) =>
    tx.execute(sql`select (select json_agg(t order by id) from tariff_plans t) plans,
      (select json_agg(v order by id) from tariff_versions v) versions`),
  );

/** Every write route, with a body that would succeed for an admin. */
function writes(): [string, string, unknown?][] {
  const v = `/api/v1/tariff-plans/${plan}/versions`;
  return [
    ['POST', '/api/v1/tariff-plans', { code: 'x1', kind: 'meter-gas', name: 'x' }],
    ['PATCH', `/api/v1/tariff-plans/${plan}`, { name: 'hijacked' }],
    ['POST', v, { body: waterBody('wa', '2028-01-01') }],
    ['PATCH', `${v}/${draft}`, { note: 'hijacked' }],
    ['DELETE', `${v}/${draft}`],
    ['POST', `${v}/${draft}/publish`],
    ['POST', `${v}/${published}/copy`],
  ];
}

describe('tariff plan routes: who may do what', () => {
  it('without tariffs.manage or billing.read: 403 on reads and writes, nothing written', async () => {
    const none = await userWith(p, admin, 'tp-none', ['meters.read']);
    const before = await snapshot();
    for (const path of [
      '/api/v1/tariff-plans',
      `/api/v1/tariff-plans/${plan}`,
      `/api/v1/tariff-plans/${plan}/versions`,
    ]) {
      const r = await none.get(path);
      expect([r.status, r.body.error.code], path).toEqual([403, 'AUTH_FORBIDDEN']);
    }
    for (const [m, path, body] of writes()) {
      const r = await none.request(m, path, body);
      expect([r.status, r.body.error.code], `${m} ${path}`).toEqual([403, 'AUTH_FORBIDDEN']);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('billing.read reads plans and versions but cannot change them', async () => {
    const reader = await userWith(p, admin, 'tp-reader', ['billing.read']);
    expect(
      (await reader.get('/api/v1/tariff-plans')).body.items.map((x: { code: string }) => x.code),
    ).toEqual(['bj-gas', 'bj-heat-area', 'bj-power-monthly', 'bj-water', 'bj-water-nonresidential', 'wa']); // the demo plans too
    expect((await reader.get(`/api/v1/tariff-plans/${plan}/versions/${published}`)).body.status).toBe(
      'published',
    );
    const before = await snapshot();
    for (const [m, path, body] of writes()) {
      const r = await reader.request(m, path, body);
      expect([r.status, r.body.error.code], `${m} ${path}`).toEqual([403, 'AUTH_FORBIDDEN']);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('an area-scoped designer reads but may not change tenant-wide plans', async () => {
    const areas = await demoAreas(admin);
    const scoped = await userWith(p, admin, 'tp-scoped', ['tariffs.manage'], [areas['1号楼'].id]);
    expect((await scoped.get(`/api/v1/tariff-plans/${plan}`)).body.code).toBe('wa');
    const before = await snapshot();
    for (const [m, path, body] of writes()) {
      const r = await scoped.request(m, path, body);
      expect([r.status, r.body.error.code], `${m} ${path}`).toEqual([403, 'AUTH_SCOPE_TENANT_WIDE']);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('another tenant sees none of the plans and gets 404 for their ids', async () => {
    const b = await otherTenant(p);
    expect((await b.get('/api/v1/tariff-plans')).body.items).toEqual([]);
    const before = await snapshot();
    const reads = [
      `/api/v1/tariff-plans/${plan}`,
      `/api/v1/tariff-plans/${plan}/versions`,
      `/api/v1/tariff-plans/${plan}/versions/${draft}`,
    ];
    for (const path of reads) {
      const r = await b.get(path);
      expect([r.status, r.body.error.code], path).toEqual([404, 'RESOURCE_NOT_FOUND']);
    }
    for (const [m, path, body] of writes().slice(1)) {
      const r = await b.request(m, path, body);
      expect([r.status, r.body.error.code], `${m} ${path}`).toEqual([404, 'RESOURCE_NOT_FOUND']);
    }
    expect(await snapshot()).toEqual(before);
    // the same code is free in the other tenant
    expect(
      (await b.post('/api/v1/tariff-plans', { code: 'wa', kind: 'meter-water', name: 'B' })).status,
    ).toBe(201);
  });

  it('answers bad input with stable codes and writes nothing', async () => {
    const before = await snapshot();
    const v = `/api/v1/tariff-plans/${plan}/versions`;
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v1/tariff-plans', {}, 'REQ_VALIDATION'],
      ['POST', '/api/v1/tariff-plans', { code: 'Upper', kind: 'meter-water', name: 'x' }, 'REQ_VALIDATION'],
      ['POST', '/api/v1/tariff-plans', { code: 'ok', kind: 'meter-nuclear', name: 'x' }, 'REQ_VALIDATION'],
      [
        'POST',
        '/api/v1/tariff-plans',
        { code: 'ok', kind: 'meter-water', name: 'x\u0000' },
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/tariff-plans',
        { code: 'ok', kind: 'meter-water', name: 'x'.repeat(201) },
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/tariff-plans',
        { code: 'ok', kind: 'meter-water', name: 'x', extra: 1 },
        'REQ_VALIDATION',
      ],
      ['POST', '/api/v1/tariff-plans', { code: 7, kind: 'meter-water', name: 'x' }, 'REQ_VALIDATION'],
      ['PATCH', `/api/v1/tariff-plans/${plan}`, {}, 'REQ_VALIDATION'],
      ['PATCH', `/api/v1/tariff-plans/${plan}`, { status: 'gone' }, 'REQ_VALIDATION'],
      ['PATCH', `/api/v1/tariff-plans/${plan}`, { code: 'renamed' }, 'REQ_VALIDATION'],
      ['PATCH', '/api/v1/tariff-plans/not-a-uuid', { name: 'x' }, 'REQ_VALIDATION'],
      ['POST', v, {}, 'REQ_VALIDATION'],
      ['POST', v, { body: 'tariff' }, 'TARIFF_INVALID'],
      [
        'POST',
        v,
        { body: { ...waterBody('wa', '2028-01-01'), name: { 'zh-CN': 'a\u0000', en: 'a' } } },
        'TARIFF_INVALID',
      ],
      ['POST', v, { body: waterBody('wa', '2028-01-01', { price: '1'.repeat(40) }) }, 'TARIFF_INVALID'],
      ['POST', v, { body: waterBody('wa', '2028-01-01'), note: 'n\u0000' }, 'REQ_VALIDATION'],
      ['POST', v, { body: waterBody('wa', '2028-01-01'), author: 'me' }, 'REQ_VALIDATION'],
      ['PATCH', `${v}/${draft}`, {}, 'REQ_VALIDATION'],
      ['PATCH', `${v}/${draft}`, { body: { formatVersion: 1 } }, 'TARIFF_INVALID'],
      ['POST', `${v}/${crypto.randomUUID()}/publish`, undefined, 'RESOURCE_NOT_FOUND'],
    ];
    for (const [m, path, body, code] of cases) {
      const r = await admin.request(m, path, body);
      expect(r.body.error.code, `${m} ${path} ${JSON.stringify(body)?.slice(0, 60)}`).toBe(code);
      expect(r.status).toBe(code === 'RESOURCE_NOT_FOUND' ? 404 : 400);
    }
    expect(await snapshot()).toEqual(before);
  });
});
