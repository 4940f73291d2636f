import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { demoAreas, otherTenant, userWith } from './archive-fixtures.ts';
import { download, layoutCount } from './report-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let b: Client;
let bArea: string;
let sun: string;
const month = { month: '2026-10' };
const good = '<h1>{{title}}</h1>{{#each rows as |r|}}<p>{{r.assetNo}} {{num r.usage 1}}</p>{{/each}}';

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  sun = (await demoAreas(admin)).阳光花园小区!.id;
  b = await otherTenant(p);
  bArea = (await b.post('/api/v1/areas', { parentId: null, name: 'B公司', kind: 'company' })).body.id;
  const v = await b.post('/api/v1/reports/monthly-consumption/layouts', {
    source: good,
    orientation: 'portrait',
  });
  expect(v.status, JSON.stringify(v.body)).toBe(201);
}, 180_000);
afterAll(async () => p?.stop());

describe('layouts and versions', () => {
  it('saves versions, answers them, and prints with the newest or a named one', async () => {
    const before = await layoutCount(p);
    const v1 = await admin.post('/api/v1/reports/monthly-consumption/layouts', {
      source: good,
      orientation: 'landscape',
      note: 'v1',
    });
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    expect(v1.body).toMatchObject({ version: 1, orientation: 'landscape', note: 'v1' });
    const v2 = await admin.post('/api/v1/reports/monthly-consumption/layouts', {
      source: '<h1>V2 {{title}}</h1>',
      orientation: 'portrait',
    });
    expect(v2.body.version).toBe(2);
    expect(await layoutCount(p)).toBe(before + 2);
    const detail = await admin.get('/api/v1/reports/monthly-consumption?lang=en');
    expect(detail.body.layout).toMatchObject({ version: 2, orientation: 'portrait' });
    expect(detail.body.versions.map((x: { version: number }) => x.version)).toEqual([2, 1]);
    expect(detail.body.report.title).toBe('Monthly consumption by area and kind');
    expect((await admin.get('/api/v1/reports/monthly-consumption/layouts/1')).body.source).toBe(good);
    const now = (await download(admin, '/api/v1/reports/monthly-consumption/print', { params: month })).bytes;
    expect(now.toString()).toContain('V2 月度用量');
    const old = await download(admin, '/api/v1/reports/monthly-consumption/print', {
      params: month,
      version: 1,
    });
    expect(old.bytes.toString()).toContain('size: A4 landscape');
    expect(old.bytes.toString()).not.toContain('V2');
  });

  it('a layout that does not render is refused with its line, nothing stored', async () => {
    const before = await layoutCount(p);
    const r = await admin.post('/api/v1/reports/arrears/layouts', {
      source: '<p>\n{{#each rows}}\n{{/with}}',
      orientation: 'portrait',
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('REPORT_TEMPLATE_INVALID');
    const h = await admin.post('/api/v1/reports/arrears/layouts', {
      source: '{{readFile "/etc/passwd"}}',
      orientation: 'portrait',
    });
    expect(h.body.error.code).toBe('REPORT_TEMPLATE_INVALID');
    expect(await layoutCount(p)).toBe(before);
  });

  it('preview renders an unsaved layout on real data', async () => {
    const r = await admin.post('/api/v1/reports/monthly-consumption/preview', {
      params: month,
      source: '<b>{{count rows}} rows</b>',
    });
    expect(r.status).toBe(200);
    expect(r.body.html).toContain('<b>0 rows</b>');
  });
});

describe('cross-tenant probes', () => {
  it('another tenant’s layout versions and areas are not ours', async () => {
    const before = await layoutCount(p);
    const v = await admin.get('/api/v1/reports/loss-analysis/layouts/1');
    expect(v.status).toBe(404);
    expect(v.body.error.code).toBe('REPORT_UNKNOWN');
    const bDetail = await b.get('/api/v1/reports/monthly-consumption');
    expect(bDetail.body.versions).toHaveLength(1);
    for (const path of ['run', 'preview']) {
      const r = await admin.post(`/api/v1/reports/monthly-consumption/${path}`, {
        params: { ...month, areaId: bArea },
        ...(path === 'preview' && { source: good }),
      });
      expect(r.status, path).toBe(404);
      expect(r.body.error.code, path).toBe('AREA_OUT_OF_SCOPE');
    }
    for (const path of ['print', 'pdf', 'xlsx']) {
      const r = await download(admin, `/api/v1/reports/monthly-consumption/${path}`, {
        params: { ...month, areaId: bArea },
      });
      expect(r.status, path).toBe(404);
      expect(JSON.parse(r.bytes.toString()).error.code, path).toBe('AREA_OUT_OF_SCOPE');
    }
    expect(await layoutCount(p)).toBe(before);
  });
});

describe('privileges and area scope', () => {
  it('no reports.read: 403 on every route', async () => {
    const u = await userWith(p, admin, 'no-reports', ['areas.read']);
    for (const [m, path] of [
      ['GET', '/api/v1/reports'],
      ['GET', '/api/v1/reports/arrears'],
      ['POST', '/api/v1/reports/arrears/run'],
    ] as const) {
      const r = await u.request(m, path, m === 'POST' ? { params: { asOf: '2026-12-01' } } : undefined);
      expect(r.status, path).toBe(403);
      expect(r.body.error.code, path).toBe('AUTH_FORBIDDEN');
    }
    const x = await download(u, '/api/v1/reports/arrears/xlsx', { params: { asOf: '2026-12-01' } });
    expect(x.status).toBe(403);
  });

  it('reports.read alone cannot design; a designer limited to an area cannot change the tenant’s layouts', async () => {
    const before = await layoutCount(p);
    const reader = await userWith(p, admin, 'rep-reader', ['reports.read']);
    for (const path of ['layouts', 'preview']) {
      const r = await reader.post(`/api/v1/reports/arrears/${path}`, {
        ...(path === 'layouts' ? { orientation: 'portrait' } : { params: { asOf: '2026-12-01' } }),
        source: good,
      });
      expect(r.status, path).toBe(403);
      expect(r.body.error.code, path).toBe('AUTH_FORBIDDEN');
    }
    const scoped = await userWith(p, admin, 'rep-scoped', ['reports.read', 'reports.design'], [sun]);
    const s = await scoped.post('/api/v1/reports/arrears/layouts', { source: good, orientation: 'portrait' });
    expect(s.status).toBe(403);
    expect(s.body.error.code).toBe('AUTH_SCOPE_TENANT_WIDE');
    // a scoped designer may still preview on the rows of their own area
    const pv = await scoped.post('/api/v1/reports/arrears/preview', {
      params: { asOf: '2026-12-01' },
      source: good,
    });
    expect(pv.status).toBe(200);
    expect(await layoutCount(p)).toBe(before);
  });
});

describe('bad input', () => {
  it('answers stable 4xx codes and writes nothing', async () => {
    const before = await layoutCount(p);
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/v1/reports/nope/run', { params: {} }, 404, 'REPORT_UNKNOWN'],
      ['POST', '/api/v1/reports/NOPE!/run', { params: {} }, 400, 'REQ_VALIDATION'],
      ['GET', '/api/v1/reports/arrears/layouts/0', undefined, 400, 'REQ_VALIDATION'],
      ['GET', '/api/v1/reports/arrears/layouts/99', undefined, 404, 'REPORT_UNKNOWN'],
      ['POST', '/api/v1/reports/arrears/run', { params: { asOf: 20261201 } }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/reports/arrears/run', { params: { asOf: '2026-13-45' } }, 400, 'REQ_VALIDATION'],
      [
        'POST',
        '/api/v1/reports/arrears/run',
        { params: { asOf: '2026-12-01', extra: 1 } },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/reports/arrears/run',
        { params: { asOf: '2026-12-01\u0000' } },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/reports/arrears/run',
        { params: { asOf: '2026-12-01', areaId: 'x' } },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/reports/arrears/run',
        { params: { asOf: '2026-12-01' }, pageSize: 1e9 },
        400,
        'REQ_VALIDATION',
      ],
      ['POST', '/api/v1/reports/arrears/run', { params: 'x' }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/reports/arrears/run', {}, 400, 'REQ_VALIDATION'],
      [
        'POST',
        '/api/v1/reports/monthly-consumption/run',
        { params: { month: '2026-1' } },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/reports/monthly-consumption/run',
        { params: { month: '2026-10', kind: 'x'.repeat(5000) } },
        400,
        'REQ_VALIDATION',
      ],
      ['POST', '/api/v1/reports/arrears/layouts', {}, 400, 'REQ_VALIDATION'],
      [
        'POST',
        '/api/v1/reports/arrears/layouts',
        { source: 'a\u0000b', orientation: 'portrait' },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/reports/arrears/layouts',
        { source: 'x'.repeat(70_000), orientation: 'portrait' },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/reports/arrears/layouts',
        { source: 'ok', orientation: 'sideways' },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/reports/arrears/layouts',
        { source: 42, orientation: 'portrait' },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/reports/arrears/layouts',
        { source: 'ok', orientation: 'portrait', note: 'n'.repeat(201) },
        400,
        'REQ_VALIDATION',
      ],
    ];
    for (const [m, path, body, status, code] of cases) {
      const r = await admin.request(m, path, body);
      expect(r.status, `${path} ${JSON.stringify(body)?.slice(0, 80)}`).toBe(status);
      expect(r.body.error.code, path).toBe(code);
    }
    const empty = await admin.request('POST', '/api/v1/reports/arrears/layouts', '');
    expect(empty.status).toBe(400);
    const x = await download(admin, '/api/v1/reports/arrears/xlsx', { params: { asOf: 1 } });
    expect(x.status).toBe(400);
    expect(JSON.parse(x.bytes.toString()).error.code).toBe('REQ_VALIDATION');
    expect(await layoutCount(p)).toBe(before);
  });

  it('without Chromium the PDF answers REPORT_PDF_UNAVAILABLE', async () => {
    const saved = process.env.QUADMETER_CHROMIUM;
    process.env.QUADMETER_CHROMIUM = '/nonexistent/chromium';
    try {
      const r = await download(admin, '/api/v1/reports/monthly-consumption/pdf', { params: month });
      expect(r.status).toBe(503);
      expect(JSON.parse(r.bytes.toString()).error.code).toBe('REPORT_PDF_UNAVAILABLE');
    } finally {
      if (saved === undefined) delete process.env.QUADMETER_CHROMIUM;
      else process.env.QUADMETER_CHROMIUM = saved;
    }
  });
});
