import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { userWith } from './archive-fixtures.ts';
import { buildEstate, download, type Estate, pdfText, sunMarker, xlsxCells } from './report-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let sunUser: Client;
let estate: Estate;
const reports = Object.keys(sunMarker);

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  estate = await buildEstate(p, admin);
  sunUser = await userWith(p, admin, 'sun-reader', ['reports.read'], [estate.sun]);
}, 180_000);
afterAll(async () => p?.stop());

const run = (c: Client, id: string, extra: Record<string, unknown> = {}) =>
  c.post(`/api/v1/reports/${id}/run`, { params: estate.params[id], pageSize: 500, ...extra });

describe('area scope in every built-in report', () => {
  it('the whole-tenant admin sees both communities (so the checks below can fail)', async () => {
    for (const id of reports) {
      const r = await run(admin, id);
      expect(r.status, `${id} ${JSON.stringify(r.body)}`).toBe(200);
      const text = JSON.stringify(r.body.rows);
      expect(text, id).toContain(sunMarker[id]);
      expect(text, id).toContain(sunMarker[id]!.replace('SUN', 'XFL'));
    }
  });

  it('on screen (JSON): a user limited to 阳光花园小区 gets only its rows', async () => {
    for (const id of reports) {
      const r = await run(sunUser, id);
      expect(r.status, id).toBe(200);
      const text = JSON.stringify(r.body);
      expect(text, id).toContain(sunMarker[id]);
      expect(text, id).not.toContain('XFL');
      expect(r.body.total, id).toBeGreaterThan(0);
    }
  });

  it('the sums follow the scope (tariff revenue and payments)', async () => {
    const t = await run(sunUser, 'tariff-revenue');
    expect(t.body.totals.amountFen).toBe(7920);
    expect((await run(admin, 'tariff-revenue')).body.totals.amountFen).toBe(15840);
    const pay = await run(sunUser, 'payments-daily');
    expect(pay.body.totals.amountFen).toBe(12345);
    expect((await run(admin, 'payments-daily')).body.totals.amountFen).toBe(24690);
  });

  it('print view (HTML): only its rows', async () => {
    for (const id of reports) {
      const r = await download(sunUser, `/api/v1/reports/${id}/print`, { params: estate.params[id] });
      expect(r.status, id).toBe(200);
      expect(r.type).toContain('text/html');
      const html = r.bytes.toString('utf8');
      expect(html, id).toContain(sunMarker[id]);
      expect(html, id).not.toContain('XFL');
      expect(html, id).toContain('size: A4');
    }
  });

  it('Excel: only its rows, numbers as numbers', async () => {
    for (const id of reports) {
      const r = await download(sunUser, `/api/v1/reports/${id}/xlsx`, { params: estate.params[id] });
      expect(r.status, id).toBe(200);
      const cells = await xlsxCells(r.bytes);
      expect(
        cells.some((c) => c.includes(sunMarker[id]!)),
        id,
      ).toBe(true);
      expect(
        cells.some((c) => c.includes('XFL')),
        id,
      ).toBe(false);
    }
  });

  it('PDF: only its rows (text extracted from the PDF)', async () => {
    for (const id of reports) {
      const r = await download(sunUser, `/api/v1/reports/${id}/pdf`, { params: estate.params[id] });
      expect(r.status, `${id} ${r.bytes.toString('utf8', 0, 200)}`).toBe(200);
      expect(r.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const text = await pdfText(r.bytes);
      expect(text, id).toContain(sunMarker[id]);
      expect(text, id).not.toContain('XFL');
    }
  }, 120_000);

  it('an area filter outside the scope is AREA_OUT_OF_SCOPE, inside it narrows', async () => {
    const r = await run(sunUser, 'monthly-consumption', {
      params: { ...estate.params['monthly-consumption'], areaId: estate.xflArea },
    });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('AREA_OUT_OF_SCOPE');
    const ok = await run(admin, 'monthly-consumption', {
      params: { ...estate.params['monthly-consumption'], areaId: estate.xflArea },
    });
    expect(ok.status).toBe(200);
    expect(JSON.stringify(ok.body.rows)).not.toContain('SUN');
  });
});
