import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { inDemo, userWith } from './archive-fixtures.ts';
import { buildEstate, download, type Estate, localToday, pdfText, xlsxCells } from './report-fixtures.ts';

/** "Anomalies by rule" over the exception queue (anomaly_findings), area-scoped in every format. */
let p: TestPlatform;
let admin: Client;
let sunUser: Client;
let estate: Estate;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  estate = await buildEstate(p, admin);
  sunUser = await userWith(p, admin, 'sun-anom', ['reports.read'], [estate.sun]);
  await inDemo(p, (tx) =>
    tx.execute(sql`insert into anomaly_findings (tenant_id, id, meter_id, area_id, rule, severity, status,
        first_seen_at, last_seen_at, occurrences, evidence)
      select app_tenant_id(), gen_random_uuid(), m.id, m.area_id, split_part(m.asset_no, '-', 1) || '-LEAK', 'warning', 'open',
        now(), now(), 3, '{}'::jsonb
      from meters m where m.asset_no in ('SUN-W1', 'XFL-W1')`),
  );
}, 180_000);
afterAll(async () => p?.stop());

describe('anomalies by rule', () => {
  it('a user limited to 阳光花园小区 sees only its findings in every format', async () => {
    const params = { from: localToday(), to: localToday() };
    const all = await admin.post('/api/v1/reports/anomalies/run', { params });
    expect(JSON.stringify(all.body.rows)).toContain('XFL-LEAK');
    const r = await sunUser.post('/api/v1/reports/anomalies/run', { params });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body.rows)).toContain('SUN-LEAK');
    expect(JSON.stringify(r.body)).not.toContain('XFL');
    expect(r.body.totals.occurrences).toBe(3);
    const html = (await download(sunUser, '/api/v1/reports/anomalies/print', { params })).bytes.toString();
    expect(html).toContain('SUN-LEAK');
    expect(html).not.toContain('XFL');
    const cells = await xlsxCells(
      (await download(sunUser, '/api/v1/reports/anomalies/xlsx', { params })).bytes,
    );
    expect(cells.some((c) => c.includes('SUN-LEAK'))).toBe(true);
    expect(cells.some((c) => c.includes('XFL'))).toBe(false);
    const text = await pdfText((await download(sunUser, '/api/v1/reports/anomalies/pdf', { params })).bytes);
    expect(text).toContain('SUN-LEAK');
    expect(text).not.toContain('XFL');
  }, 60_000);
});
