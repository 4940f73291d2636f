import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { withTenant } from '../../../db/tenant.ts';
import { createTenant } from '../../tenants/tenants.ts';
import { issueBills } from '../bills/issue.ts';
import { parseTariff, quote } from '../tariff/index.ts';
import { monthlyPowerTariff, seedAccounts, seedArea, seedPlan, seedRun } from './fixtures.ts';
import { readChunk } from './reads.ts';
import { stageRun } from './stage.ts';
import { claimRun } from './start.ts';
import { executeRun } from './worker.ts';

const FROM = '2026-10-01';
const TO = '2026-11-01';
let t: TestDatabase;
let tenant: string;
let versionId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  tenant = (
    await createTenant(t.database.db, {
      code: 'br',
      name: 'br',
      adminUsername: 'admin',
      adminPassword: 'password-br',
    })
  ).id;
  versionId = await withTenant(t.database.db, tenant, (tx) => seedPlan(tx));
});
afterAll(async () => t?.drop());

const q = <T>(s: ReturnType<typeof sql>) =>
  withTenant(t.database.db, tenant, (tx) => tx.execute(s)) as unknown as Promise<T[]>;

/** An area with n seeded accounts and a queued run over it. */
async function scenario(tag: string, n: number, o: { noPlanEvery?: number } = {}) {
  return await withTenant(t.database.db, tenant, async (tx) => {
    const area = await seedArea(tx, tag);
    await seedAccounts(tx, { tag, n, areaId: area, from: FROM, days: 31, ...o });
    return { area, run: await seedRun(tx, area, FROM, TO) };
  });
}

const progress = async (run: string) =>
  (
    await q<{ status: string; progress: unknown }>(
      sql`select status, progress - 'at' as progress from bill_runs where id = ${run}`,
    )
  )[0];

describe('executeRun', () => {
  it('bills monthly tiers to the fen, explains each line, and posts the charge once', async () => {
    const { run } = await scenario('e', 12);
    await executeRun(t.database.db, tenant, run, { chunkSize: 5 });
    expect(await progress(run)).toEqual({
      status: 'done',
      progress: { total: 12, billed: 12, held: 0, skipped: 0, failed: 0 },
    });
    const bills = await q<{
      number: string;
      total: number;
      status: string;
      usage: string;
      persons: string;
      charged: number;
    }>(sql`
      select a.number, b.total_fen::int as total, b.status,
        (select sum(usage)::text from consumption_daily d join meters m on m.id = d.meter_id where m.account_id = a.id) as usage,
        (select value::text from customer_facts f where f.customer_id = a.customer_id) as persons,
        (select -sum(amount_fen)::int from ledger_entries e where e.bill_id = b.id) as charged
      from bills b join accounts a on a.id = b.account_id where b.run_id = ${run} order by a.number`);
    const tariff = parseTariff(monthlyPowerTariff());
    const expected = bills.map(
      (b) =>
        quote(tariff, {
          period: { from: FROM, to: TO },
          consumption: b.usage,
          householdSize: Number(b.persons),
          lowIncome: false,
        }).totalFen,
    );
    expect(bills.map((b) => b.total)).toEqual(expected);
    expect(bills.map((b) => b.charged)).toEqual(expected);
    expect(new Set(bills.map((b) => b.status))).toEqual(new Set(['issued']));
    // account 12: round(444/31, 4) = 14.3226 kWh a day, 444.0006 in October, 6 persons: tiers 340/500;
    // rounded once on the total (the tariff says so): 166.022 + 55.98352 = 222.00552 → 22201 fen
    const lines = await q<Record<string, unknown>>(sql`
      select l.line_no, l.category, l.component, l.tier, l.quantity::text, l.unit, l.price::text, l.amount_fen::int,
        l.tariff_version_id::text, l.segment_from::text, l.segment_to::text, p.code as plan, v.version,
        l.explain->>'usage' as usage
      from bill_lines l join bills b on b.id = l.bill_id join accounts a on a.id = b.account_id
      join tariff_versions v on v.id = l.tariff_version_id join tariff_plans p on p.id = v.plan_id
      where a.number = 'e-A0000012' order by l.line_no`);
    expect(lines).toEqual([
      {
        line_no: 1,
        category: 'usage',
        component: 'energy',
        tier: 1,
        quantity: '340.000000',
        unit: 'kWh',
        price: '0.488300',
        amount_fen: 16602,
        tariff_version_id: versionId,
        segment_from: FROM,
        segment_to: TO,
        plan: 'bj-power-monthly',
        version: 1,
        usage: '444.000600',
      },
      {
        line_no: 2,
        category: 'usage',
        component: 'energy',
        tier: 2,
        quantity: '104.000600',
        unit: 'kWh',
        price: '0.538300',
        amount_fen: 5599,
        tariff_version_id: versionId,
        segment_from: FROM,
        segment_to: TO,
        plan: 'bj-power-monthly',
        version: 1,
        usage: '444.000600',
      },
    ]);
    // the charges are issueBills' own: issuing the run's bills again posts nothing
    const ids = await q<{ id: string }>(sql`select id::text as id from bills where run_id = ${run}`);
    expect(
      await withTenant(t.database.db, tenant, (tx) =>
        issueBills(
          tx,
          ids.map((b) => b.id),
          null,
        ),
      ),
    ).toBe(0);
    // a second execution of a finished run does nothing
    await executeRun(t.database.db, tenant, run);
    const [again] = await q<{ n: number }>(
      sql`select count(*)::int as n from ledger_entries e join bills b on b.id = e.bill_id where b.run_id = ${run}`,
    );
    expect(again.n).toBe(12);
  });

  it('stages a large run in one pass over whole tables: the facts and billing mode in force, to the fen', async () => {
    const { run } = await scenario('s', 9);
    // account 7: a newer household fact in force (6 persons), and one after the period's start;
    // account 2: prepaid from September (not billed); account 3: prepaid only from 2 October (billed)
    await q(sql`insert into customer_facts (tenant_id, customer_id, kind, effective_from, value)
      select app_tenant_id(), a.customer_id, 'household_size', d::date, v from accounts a,
        (values ('2026-09-01', 6), ('2026-10-15', 1)) x(d, v) where a.number = 's-A0000007'`);
    await q(sql`insert into account_billing_modes (tenant_id, account_id, effective_from, mode)
      select app_tenant_id(), a.id, x.d::date, 'prepaid' from accounts a
      join (values ('s-A0000002', '2026-09-01'), ('s-A0000003', '2026-10-02')) x(n, d) on x.n = a.number`);
    await executeRun(t.database.db, tenant, run, { chunkSize: 4, scanFrom: 0 });
    expect(await progress(run)).toEqual({
      status: 'done',
      progress: { total: 8, billed: 8, held: 0, skipped: 0, failed: 0 },
    });
    const bills = await q<{ number: string; total: number; usage: string; charged: number }>(sql`
      select a.number, b.total_fen::int as total,
        (select sum(usage)::text from consumption_daily d join meters m on m.id = d.meter_id where m.account_id = a.id) as usage,
        (select -sum(amount_fen)::int from ledger_entries e where e.bill_id = b.id) as charged
      from bills b join accounts a on a.id = b.account_id where b.run_id = ${run} order by a.number`);
    expect(bills.map((b) => b.number)).toEqual([1, 3, 4, 5, 6, 7, 8, 9].map((g) => `s-A000000${g}`));
    const tariff = parseTariff(monthlyPowerTariff());
    // household g has 1 + g mod 7 persons; account 7 the 6 in force on 1 October
    const persons = (g: number) => (g === 7 ? 6 : 1 + (g % 7));
    const expected = bills.map(
      (b) =>
        quote(tariff, {
          period: { from: FROM, to: TO },
          consumption: b.usage,
          householdSize: persons(Number(b.number.slice(-1))),
          lowIncome: false,
        }).totalFen,
    );
    expect(bills.map((b) => b.total)).toEqual(expected);
    expect(bills.map((b) => b.charged)).toEqual(expected);
    // account 7: round(259/31, 4) = 8.3548 kWh a day, 258.9988 in October; 6 persons shift tier 1
    // to 340 kWh: 258.9988 × 0.4883 = 126.46911 → 12647 fen (1 person would pay 12742)
    expect(bills[5].total).toBe(12647);
    const [staged] = await q<{ n: number }>(
      sql`select (select count(*) from bill_run_input where run_id = ${run})::int
        + (select count(*) from bill_run_usage where run_id = ${run})::int as n`,
    );
    expect(staged.n).toBe(0);
  });

  it("reads a chunk's usage from what the usage side staged, or sums the daily rows of a meter it lacks", async () => {
    const { run } = await scenario('u', 4);
    const db = t.database.db;
    const claimed = await withTenant(db, tenant, (tx) => claimRun(tx, run));
    if (!claimed) throw new Error('run not claimed');
    // scanFrom 0: the two sides on two connections, each in its own snapshot
    const ids = await stageRun(db, tenant, run, claimed.scope, null, 0);
    expect(ids).toHaveLength(4);
    const [m1, m2] = ['u:m:1', 'u:m:2'].map((k) => sql`md5(${k})::uuid`);
    // meter 1: staged with a marked usage (the chunk must take what was staged); meter 2: missing
    // from the usage side, as if it changed account between the two snapshots
    await q(sql`with gone as (delete from bill_run_usage where run_id = ${run} and meter_id in (${m1}, ${m2})
        returning account_id, meter_id)
      insert into bill_run_usage (tenant_id, attempt_id, run_id, account_id, meter_id, usage)
      select app_tenant_id(), ${claimed.scope.attemptId}::uuid, ${run}::uuid, account_id, meter_id, 1.5
      from gone where meter_id = ${m1}`);
    const rows = await withTenant(db, tenant, (tx) => readChunk(tx, claimed.scope, ids));
    const daily = await q<{ meter: string; usage: string }>(sql`select meter_id::text as meter,
      round(sum(usage), 6)::text as usage from consumption_daily where day >= ${FROM} and day < ${TO} group by 1`);
    const want = new Map(daily.map((d) => [d.meter, d.usage]));
    const [id1, id2] = (
      await q<{ id: string }>(sql`select ${m1}::text as id union all select ${m2}::text`)
    ).map((r) => r.id);
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      const meter = r.meterId as string;
      expect(r.usage, meter).toBe(meter === id1 ? '1.5' : want.get(meter));
    }
    expect(rows.find((r) => r.meterId === id2)?.usage).toMatch(/^\d+\.\d{6}$/);
  });

  it('holds bills whose readings are missing or estimated, and issues none of them', async () => {
    const { area, run } = await scenario('h', 3);
    await withTenant(t.database.db, tenant, async (tx) => {
      await tx.execute(sql`delete from consumption_daily where meter_id = md5('h:m:1')::uuid`);
      await tx.execute(sql`select readings_ensure_partition('2026-10-15')`);
      await tx.execute(sql`insert into readings (tenant_id, meter_id, kind, ts, value, received_at, idem_key)
        values (app_tenant_id(), md5('h:m:2')::uuid, 5, '2026-10-31T12:00:00Z', 123.4, now(), 'est-h2'),
               (app_tenant_id(), md5('h:m:3')::uuid, 2, '2026-10-31T00:00:00Z', 99.5, now(), 'frz-h3')`);
    });
    await executeRun(t.database.db, tenant, run);
    expect(await progress(run)).toEqual({
      status: 'done',
      progress: { total: 3, billed: 3, held: 2, skipped: 0, failed: 0 },
    });
    const rows = await q<{
      number: string;
      status: string;
      reasons: string[];
      entries: number;
      readings: unknown;
    }>(sql`
      select a.number, b.status, b.hold_reasons as reasons,
        (select count(*)::int from ledger_entries e where e.bill_id = b.id) as entries,
        (select l.explain->'readings' from bill_lines l where l.bill_id = b.id and l.line_no = 1) as readings
      from bills b join accounts a on a.id = b.account_id where b.area_id = ${area} order by a.number`);
    expect(rows.map(({ readings: _r, ...r }) => r)).toEqual([
      { number: 'h-A0000001', status: 'held', reasons: ['missing'], entries: 0 },
      { number: 'h-A0000002', status: 'held', reasons: ['estimated'], entries: 0 },
      { number: 'h-A0000003', status: 'issued', reasons: [], entries: 1 },
    ]);
    expect(rows[1].readings).toEqual([
      { ts: '2026-10-31T12:00:00.000Z', value: '123.4', kind: 5, source: 'estimate' },
    ]);
    expect(rows[2].readings).toEqual([
      { ts: '2026-10-31T00:00:00.000Z', value: '99.5', kind: 2, source: 'daily-freeze' },
    ]);
  });

  it('records accounts without a plan as failures with reasons, not a failed run', async () => {
    const { run } = await scenario('f', 6, { noPlanEvery: 3 });
    await executeRun(t.database.db, tenant, run);
    expect(await progress(run)).toEqual({
      status: 'done',
      progress: { total: 6, billed: 4, held: 0, skipped: 0, failed: 2 },
    });
    const f = await q<{
      n: string;
      reasons: string[];
    }>(sql`select a.number as n, f.reasons from bill_run_failures f
      join accounts a on a.id = f.account_id where f.run_id = ${run} order by a.number`);
    expect(f).toEqual([
      { n: 'f-A0000003', reasons: ['no-plan:meter-power'] },
      { n: 'f-A0000006', reasons: ['no-plan:meter-power'] },
    ]);
  });

  it('re-bills the named accounts of a cancelled bill, naming the bill it replaces', async () => {
    const { run } = await scenario('r', 2);
    await executeRun(t.database.db, tenant, run);
    const [old] = await q<{
      id: string;
      account: string;
    }>(sql`select b.id::text as id, b.account_id::text as account
      from bills b where b.run_id = ${run} and b.account_id = md5('r:a:1')::uuid`);
    const rebill = await withTenant(t.database.db, tenant, async (tx) => {
      await tx.execute(sql`update bills set status = 'cancelled', cancelled_at = now() where id = ${old.id}`);
      const [r] = (await tx.execute(sql`insert into bill_runs (tenant_id, period_from, period_to, options)
        values (app_tenant_id(), ${FROM}, ${TO}, ${JSON.stringify({ accountIds: [old.account], replaces: old.id })}::jsonb)
        returning id::text as id`)) as unknown as { id: string }[];
      return r.id;
    });
    await executeRun(t.database.db, tenant, rebill);
    expect(await progress(rebill)).toEqual({
      status: 'done',
      progress: { total: 1, billed: 1, held: 0, skipped: 0, failed: 0 },
    });
    const bills = await q<{ account: string; status: string; replaces: string | null }>(sql`
      select account_id::text as account, status, replaces::text as replaces from bills where run_id = ${rebill}`);
    expect(bills).toEqual([{ account: old.account, status: 'issued', replaces: old.id }]);
  });

  it('bills each account once, with its usage, when two executions of one run race, and leaves nothing staged', async () => {
    const { area, run } = await scenario('race', 40);
    // a resume in a second process while the first still runs: each stages its own usage
    await Promise.all([
      executeRun(t.database.db, tenant, run, { chunkSize: 3 }),
      executeRun(t.database.db, tenant, run, { chunkSize: 7 }),
    ]);
    const [b] = await q<{ n: number; accounts: number; held: number; wrong: number }>(sql`
      select count(*)::int as n, count(distinct b.account_id)::int as accounts,
        count(*) filter (where b.status = 'held')::int as held,
        count(*) filter (where b.total_fen <> (select sum(l.amount_fen) from bill_lines l where l.bill_id = b.id))::int as wrong
      from bills b where b.area_id = ${area}`);
    expect(b).toEqual({ n: 40, accounts: 40, held: 0, wrong: 0 });
    // every bill's usage is the month's consumption the fixture seeded: (g·37 mod 601) kWh
    const [usage] = await q<{ off: number }>(sql`
      select count(*)::int as off from bills b join bill_lines l on l.bill_id = b.id and l.line_no = 1
      where b.area_id = ${area} and (l.explain->>'usage')::numeric = 0`);
    expect(usage.off).toBe(0);
    const [staged] = await q<{ n: number }>(
      sql`select count(*)::int as n from bill_run_input where run_id = ${run}`,
    );
    expect(staged.n).toBe(0);
    expect((await progress(run)).status).toBe('done');
  });

  it('bills nothing for a run cancelled before it starts', async () => {
    const { area, run } = await scenario('c', 2);
    await q(sql`update bill_runs set status = 'cancelled' where id = ${run}`);
    await executeRun(t.database.db, tenant, run);
    const [n] = await q<{ n: number }>(sql`select count(*)::int as n from bills where area_id = ${area}`);
    expect(n.n).toBe(0);
    expect((await progress(run)).status).toBe('cancelled');
  });

  it('carries yearly tiers across the year from earlier consumption (Beijing water, 180/260 m³)', async () => {
    const body = readFileSync(
      new URL('../../../../../../docs/tariffs/beijing-water.json', import.meta.url),
      'utf8',
    );
    const run = await withTenant(t.database.db, tenant, async (tx) => {
      const area = await seedArea(tx, 'water');
      const [p] = (await tx.execute(sql`insert into tariff_plans (tenant_id, code, kind, name)
        values (app_tenant_id(), 'bj-water', 'meter-water', 'water') returning id`)) as unknown as {
        id: string;
      }[];
      await tx.execute(sql`insert into tariff_versions (tenant_id, plan_id, version, effective_from, status, body)
        values (app_tenant_id(), ${p.id}, 1, '2014-05-01', 'published', ${body}::jsonb)`);
      await seedAccounts(tx, { tag: 'w', n: 1, areaId: area, from: FROM, days: 1 });
      await tx.execute(
        sql`update accounts set tariff_plans = '{"meter-water": "bj-water"}' where number = 'w-A0000001'`,
      );
      await tx.execute(sql`update meters set kind = 'meter-water' where asset_no = 'w-M1'`);
      // 150 m³ before October in 2026 (and 500 in 2025, another cycle), 40 m³ in October
      await tx.execute(sql`delete from consumption_daily where meter_id = md5('w:m:1')::uuid`);
      await tx.execute(sql`insert into consumption_daily (tenant_id, meter_id, day, usage) values
        (app_tenant_id(), md5('w:m:1')::uuid, '2025-12-31', 500), (app_tenant_id(), md5('w:m:1')::uuid, '2026-03-01', 100),
        (app_tenant_id(), md5('w:m:1')::uuid, '2026-09-30', 50), (app_tenant_id(), md5('w:m:1')::uuid, '2026-10-10', 40)`);
      return await seedRun(tx, area, FROM, TO);
    });
    await executeRun(t.database.db, tenant, run);
    expect(await progress(run)).toEqual({
      status: 'done',
      progress: { total: 1, billed: 1, held: 0, skipped: 0, failed: 0 },
    });
    // water fee 30 × 2.07 + 10 × 4.07, resource fee 40 × 1.57, sewage 40 × 1.36 = 220.00 元
    const lines = await q<{ component: string; tier: number | null; quantity: string; fen: number }>(sql`
      select l.component, l.tier, l.quantity::text, l.amount_fen::int as fen from bill_lines l
      join bills b on b.id = l.bill_id where b.run_id = ${run} order by l.line_no`);
    expect(lines).toEqual([
      { component: 'water', tier: 1, quantity: '30.000000', fen: 6210 },
      { component: 'water', tier: 2, quantity: '10.000000', fen: 4070 },
      { component: 'water-resource', tier: null, quantity: '40.000000', fen: 6280 },
      { component: 'sewage', tier: null, quantity: '40.000000', fen: 5440 },
    ]);
    const [bill] = await q<{ total: number }>(
      sql`select total_fen::int as total from bills where run_id = ${run}`,
    );
    expect(bill.total).toBe(22000);
  });
});
