import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { otherTenant, userWith } from './archive-fixtures.ts';
import { buildEstate, type Estate, pdfText, xlsxCells } from './report-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let sunUser: Client;
let b: Client;
let estate: Estate;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  estate = await buildEstate(p, admin);
  sunUser = await userWith(p, admin, 'sun-export', ['reports.read'], [estate.sun]);
  b = await otherTenant(p);
}, 180_000);
afterAll(async () => p?.stop());

async function outputs(): Promise<number> {
  const [r] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute<{ n: number }>(sql`select count(*)::int as n from report_outputs`),
  );
  return r!.n;
}

/** Queues an export and waits for the job to finish it. */
async function exported(c: Client, report: string, format: 'xlsx' | 'pdf') {
  const q = await c.post(`/api/v1/reports/${report}/exports`, { params: estate.params[report], format });
  expect(q.status, JSON.stringify(q.body)).toBe(201);
  expect(q.body).toMatchObject({ status: 'queued', progress: 0, format });
  let out = q.body;
  for (let i = 0; i < 120 && (out.status === 'queued' || out.status === 'running'); i++) {
    await new Promise((r) => setTimeout(r, 250));
    out = (await c.get(`/api/v1/reports/outputs/${q.body.id}`)).body;
  }
  return out;
}

async function file(c: Client, id: string) {
  const res = await fetch(`${c.baseUrl}/api/v1/reports/outputs/${id}/file`, {
    headers: { cookie: c.cookie },
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

describe('exports as jobs', () => {
  it('runs with the requester’s area scope, reports progress and keeps the file (xlsx and PDF)', async () => {
    const x = await exported(sunUser, 'monthly-consumption', 'xlsx');
    expect(x).toMatchObject({ status: 'done', progress: 100, rows: 3, error: null });
    const xf = await file(sunUser, x.id);
    expect(xf.status).toBe(200);
    const cells = await xlsxCells(xf.bytes);
    expect(cells).toContain('SUN-W1');
    expect(cells.some((c) => c.includes('XFL'))).toBe(false);
    const pdf = await exported(sunUser, 'arrears', 'pdf');
    expect(pdf).toMatchObject({ status: 'done', progress: 100 });
    const pf = await file(sunUser, pdf.id);
    expect(pf.type).toBe('application/pdf');
    const text = await pdfText(pf.bytes);
    expect(text).toContain('PA-SUN1');
    expect(text).not.toContain('XFL');
    const all = await exported(admin, 'monthly-consumption', 'xlsx');
    expect(all.rows).toBe(6);
    const mine = (await sunUser.get('/api/v1/reports/outputs')).body.items.map((o: { id: string }) => o.id);
    expect(mine).toEqual([pdf.id, x.id]);
  }, 90_000);

  it('an export that fails records its code; its file is REPORT_OUTPUT_NOT_READY', async () => {
    const saved = process.env.QUADMETER_CHROMIUM;
    process.env.QUADMETER_CHROMIUM = '/nonexistent/chromium';
    try {
      const out = await exported(admin, 'arrears', 'pdf');
      expect(out).toMatchObject({ status: 'failed', error: 'REPORT_PDF_UNAVAILABLE' });
      const f = await file(admin, out.id);
      expect(f.status).toBe(409);
      expect(JSON.parse(f.bytes.toString()).error.code).toBe('REPORT_OUTPUT_NOT_READY');
    } finally {
      if (saved === undefined) delete process.env.QUADMETER_CHROMIUM;
      else process.env.QUADMETER_CHROMIUM = saved;
    }
  }, 60_000);

  it('another user’s or tenant’s export is not found; expired ones are gone (retention)', async () => {
    const mine = (await sunUser.get('/api/v1/reports/outputs')).body.items[0].id;
    for (const c of [admin, b]) {
      const r = await c.get(`/api/v1/reports/outputs/${mine}`);
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
      expect((await file(c, mine)).status).toBe(404);
    }
    await withSystem(p.running.platform.db, (tx) =>
      tx.execute(sql`update report_outputs set expires_at = now() - interval '1 minute' where id = ${mine}`),
    );
    expect((await sunUser.get(`/api/v1/reports/outputs/${mine}`)).status).toBe(404);
    const before = await outputs();
    const q = await admin.post('/api/v1/reports/tariff-revenue/exports', {
      params: { month: '2026-10' },
      format: 'xlsx',
    });
    expect(q.status).toBe(201);
    expect(await outputs()).toBe(before); // one added, the expired one removed
  });

  it('privilege and bad input: stable codes, nothing queued', async () => {
    const none = await userWith(p, admin, 'no-export', ['areas.read']);
    const before = await outputs();
    const r = await none.post('/api/v1/reports/arrears/exports', {
      params: { asOf: '2026-12-01' },
      format: 'xlsx',
    });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('AUTH_FORBIDDEN');
    expect((await none.get('/api/v1/reports/outputs')).status).toBe(403);
    for (const body of [
      {},
      { params: { asOf: '2026-12-01' }, format: 'csv' },
      { params: { asOf: '2026-12-01\u0000' }, format: 'xlsx' },
      { params: { asOf: 'x'.repeat(100_000) }, format: 'xlsx' },
      { params: { asOf: 1 }, format: 'pdf' },
      { params: { asOf: '2026-12-01' }, format: 'xlsx', extra: true },
    ]) {
      const x = await admin.post('/api/v1/reports/arrears/exports', body);
      expect(x.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(x.body.error.code).toBe('REQ_VALIDATION');
    }
    const bad = await admin.get('/api/v1/reports/outputs/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('REQ_VALIDATION');
    const other = await admin.post('/api/v1/reports/arrears/exports', {
      params: { asOf: '2026-12-01', areaId: '00000000-0000-4000-8000-000000000000' },
      format: 'xlsx',
    });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('AREA_OUT_OF_SCOPE');
    expect(await outputs()).toBe(before);
  });
});
