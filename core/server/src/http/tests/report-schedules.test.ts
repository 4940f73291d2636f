import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { tickSchedules } from '../../services/reports/schedule-tick.ts';
import { demoAreas, otherTenant, userWith } from './archive-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let sunUser: Client;
let reader: Client;
let b: Client;
let sun: string;
let xfl: string;

const good = {
  report: 'prepaid-balances',
  params: {},
  format: 'xlsx',
  lang: 'en',
  cron: '0 6 2 * *',
  recipients: ['ops@example.com', 'boss@example.com'],
};

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const areas = await demoAreas(admin);
  sun = areas.阳光花园小区!.id;
  xfl = areas.幸福里小区!.id;
  sunUser = await userWith(p, admin, 'sun-sched', ['reports.read', 'reports.schedule'], [sun]);
  reader = await userWith(p, admin, 'read-only', ['reports.read']);
  b = await otherTenant(p);
}, 180_000);
afterAll(async () => p?.stop());

async function count(table: 'report_schedules' | 'report_outputs' | 'notify_outbox'): Promise<number> {
  const [r] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`),
  );
  return r!.n;
}

describe('schedule routes', () => {
  it('creates, lists, updates, runs now and deletes; the next run is in the zone', async () => {
    const c = await admin.post('/api/v1/reports/schedules', good);
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body).toMatchObject({ report: 'prepaid-balances', enabled: true, lastRunAt: null });
    // 06:00 on the 2nd in Asia/Shanghai is 22:00 UTC on the 1st
    expect(c.body.nextRunAt).toMatch(/-01T22:00:00/);
    const list = (await admin.get('/api/v1/reports/schedules')).body.items.map((s: { id: string }) => s.id);
    expect(list).toContain(c.body.id);
    const u = await admin.put(`/api/v1/reports/schedules/${c.body.id}`, { ...good, enabled: false });
    expect(u.status).toBe(200);
    expect(u.body.enabled).toBe(false);
    const r = await admin.post(`/api/v1/reports/schedules/${c.body.id}/run`, {});
    expect(r.status).toBe(200);
    expect(Date.parse(r.body.nextRunAt)).toBeLessThanOrEqual(Date.now() + 1000);
    expect((await admin.delete(`/api/v1/reports/schedules/${c.body.id}`)).status).toBe(204);
    expect((await admin.get('/api/v1/reports/schedules')).body.items).toHaveLength(0);
  });

  it('bad input answers stable codes and writes nothing', async () => {
    const before = await count('report_schedules');
    const cases: [unknown, number, string][] = [
      [{}, 400, 'REQ_VALIDATION'],
      [{ ...good, cron: 42 }, 400, 'REQ_VALIDATION'],
      [{ ...good, cron: '0 6 2 * *\u0000' }, 400, 'REQ_VALIDATION'],
      [{ ...good, cron: 'x'.repeat(100_000) }, 400, 'REQ_VALIDATION'],
      [{ ...good, recipients: [] }, 400, 'REQ_VALIDATION'],
      [
        { ...good, recipients: Array.from({ length: 21 }, (_, i) => `u${i}@example.com`) },
        400,
        'REQ_VALIDATION',
      ],
      [{ ...good, recipients: ['not-an-email'] }, 400, 'REQ_VALIDATION'],
      [{ ...good, format: 'csv' }, 400, 'REQ_VALIDATION'],
      [{ ...good, extra: 1 }, 400, 'REQ_VALIDATION'],
      [{ ...good, params: { month: 'nope' }, report: 'monthly-consumption' }, 400, 'REQ_VALIDATION'],
      [{ ...good, report: 'no-such-report' }, 404, 'REPORT_UNKNOWN'],
      [{ ...good, cron: '61 99 * * * *' }, 422, 'REPORT_SCHEDULE_CRON'],
      [{ ...good, cron: '0 0 31 2 *' }, 422, 'REPORT_SCHEDULE_CRON'],
    ];
    for (const [body, status, code] of cases) {
      const r = await admin.post('/api/v1/reports/schedules', body);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.error.code).toBe(code);
    }
    expect(await count('report_schedules')).toBe(before);
  });

  it('privilege, area scope and another tenant: 403 / 404 with nothing changed', async () => {
    const whole = await admin.post('/api/v1/reports/schedules', good);
    expect(whole.status).toBe(201);
    const before = await count('report_schedules');
    const denied = await reader.post('/api/v1/reports/schedules', good);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('AUTH_FORBIDDEN');
    expect((await reader.get('/api/v1/reports/schedules')).body.error.code).toBe('AUTH_FORBIDDEN');
    // a scoped scheduler: not another area's filter, not the whole-tenant schedule
    const out = await sunUser.post('/api/v1/reports/schedules', { ...good, params: { areaId: xfl } });
    expect(out.status).toBe(404);
    expect(out.body.error.code).toBe('AREA_OUT_OF_SCOPE');
    expect((await sunUser.get('/api/v1/reports/schedules')).body.items).toHaveLength(0);
    for (const r of [
      await sunUser.put(`/api/v1/reports/schedules/${whole.body.id}`, good),
      await sunUser.delete(`/api/v1/reports/schedules/${whole.body.id}`),
      await sunUser.post(`/api/v1/reports/schedules/${whole.body.id}/run`, {}),
      await b.put(`/api/v1/reports/schedules/${whole.body.id}`, good),
      await b.delete(`/api/v1/reports/schedules/${whole.body.id}`),
      await b.post(`/api/v1/reports/schedules/${whole.body.id}/run`, {}),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    expect((await b.get('/api/v1/reports/schedules')).body.items).toHaveLength(0);
    const mine = await sunUser.post('/api/v1/reports/schedules', { ...good, params: { areaId: sun } });
    expect(mine.status).toBe(201);
    expect((await sunUser.get('/api/v1/reports/schedules')).body.items).toHaveLength(1);
    expect(await count('report_schedules')).toBe(before + 1);
    const [row] = await withSystem(p.running.platform.db, (tx) =>
      tx.execute<{ id: string }>(sql`select enabled from report_schedules where id = ${whole.body.id}`),
    );
    expect(row).toEqual({ enabled: true });
    await admin.delete(`/api/v1/reports/schedules/${whole.body.id}`);
    await admin.delete(`/api/v1/reports/schedules/${mine.body.id}`);
  });
});

describe('the minute tick', () => {
  const db = () => p.running.platform.database.jobs;
  const tick = () => tickSchedules(db(), { timeZone: 'Asia/Shanghai', baseUrl: 'https://q.example' });

  it('runs a due schedule once with two ticks racing: one output, one email per recipient', async () => {
    const s = await admin.post('/api/v1/reports/schedules', good);
    expect(s.status).toBe(201);
    const outputs = await count('report_outputs');
    const mails = await count('notify_outbox');
    await admin.post(`/api/v1/reports/schedules/${s.body.id}/run`, {});
    const [x, y] = await Promise.all([tick(), tick()]);
    await tick();
    expect(await count('report_outputs')).toBe(outputs + 1);
    expect(await count('notify_outbox')).toBe(mails + 2);
    expect(x.ran + y.ran).toBeLessThanOrEqual(1);
    const after = (await admin.get('/api/v1/reports/schedules')).body.items[0];
    expect(after.lastOutputId).toEqual(expect.any(String));
    expect(after.lastSkip).toBeNull();
    expect(Date.parse(after.nextRunAt)).toBeGreaterThan(Date.now());
    const out = await admin.get(`/api/v1/reports/outputs/${after.lastOutputId}`);
    expect(out.body).toMatchObject({ status: 'done', format: 'xlsx', report: 'prepaid-balances' });
    const sent = await withSystem(p.running.platform.db, (tx) =>
      tx.execute<{ recipient: string; channel: string; body: string; account_id: string | null }>(
        sql`select recipient, channel, body, account_id from notify_outbox
          where vars->>'outputId' = ${after.lastOutputId} order by recipient`,
      ),
    );
    expect(sent.map((m) => [m.recipient, m.channel, m.account_id])).toEqual([
      ['boss@example.com', 'email', null],
      ['ops@example.com', 'email', null],
    ]);
    expect(sent[0]!.body).toContain(`https://q.example/admin/reports/outputs?id=${after.lastOutputId}`);
    await admin.delete(`/api/v1/reports/schedules/${s.body.id}`);
  }, 60_000);

  it('a creator who was disabled: the run is skipped and recorded, nothing produced', async () => {
    const mine = await sunUser.post('/api/v1/reports/schedules', good);
    expect(mine.status).toBe(201);
    await withSystem(p.running.platform.db, (tx) =>
      tx.execute(sql`update users set status = 'disabled' where username = 'sun-sched'`),
    );
    const outputs = await count('report_outputs');
    await admin.post(`/api/v1/reports/schedules/${mine.body.id}/run`, {});
    await tick();
    expect(await count('report_outputs')).toBe(outputs);
    const [row] = await withSystem(p.running.platform.db, (tx) =>
      tx.execute<{ last_skip: string }>(
        sql`select last_skip from report_schedules where id = ${mine.body.id}`,
      ),
    );
    expect(row!.last_skip).toBe('AUTH_USER_DISABLED');
  }, 60_000);

  it('a creator who lost reports.read: skipped with AUTH_FORBIDDEN, nothing produced', async () => {
    const u = await userWith(p, admin, 'lost-perm', ['reports.read', 'reports.schedule']);
    const mine = await u.post('/api/v1/reports/schedules', good);
    expect(mine.status).toBe(201);
    await withSystem(p.running.platform.db, (tx) =>
      tx.execute(sql`update roles set permissions = array['reports.schedule'] where name = 'role-lost-perm'`),
    );
    const outputs = await count('report_outputs');
    await admin.post(`/api/v1/reports/schedules/${mine.body.id}/run`, {});
    await tick();
    expect(await count('report_outputs')).toBe(outputs);
    const s = (await admin.get('/api/v1/reports/schedules')).body.items.find(
      (x: { id: string }) => x.id === mine.body.id,
    );
    expect(s.lastSkip).toBe('AUTH_FORBIDDEN');
    expect(Date.parse(s.nextRunAt)).toBeGreaterThan(Date.now());
  }, 60_000);
});
