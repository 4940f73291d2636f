import { sql } from 'drizzle-orm';
import type { Client } from '../../../test/client.ts';
import { loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { type FixtureBill, fixtureBill, fixtureIssue } from '../../services/billing/bills/bill-fixtures.ts';
import { demoAreas, inDemo, otherTenant } from './archive-fixtures.ts';

/**
 * The demo tenant with bills written directly: in 1号楼 (area A) an issued bill `issuedA` (two usage
 * tiers with their readings and tariff version, a fixed line) and a held one `heldA` (estimated
 * reading); in 3号楼 (area B) a held `heldB` and an issued `issuedB`; a second tenant "other".
 */
export interface BillWorld {
  p: TestPlatform;
  admin: Client;
  other: Client;
  areaA: string;
  areaB: string;
  versionId: string;
  issuedA: FixtureBill;
  heldA: FixtureBill;
  heldB: FixtureBill;
  issuedB: FixtureBill;
}

const readings = [
  { ts: '2026-10-01T00:00:00Z', value: '1000.00', kind: 2 },
  { ts: '2026-11-01T00:00:00Z', value: '1450.00', kind: 3 },
];

export async function billWorld(): Promise<BillWorld> {
  const p = await startTestPlatform();
  const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const areas = await demoAreas(admin);
  const areaA = areas['1号楼'].id;
  const areaB = areas['3号楼'].id;
  const made = await inDemo(p, async (tx) => {
    const [plan] = await tx.execute<{ id: string }>(sql`insert into tariff_plans (tenant_id, code, kind, name)
      values (app_tenant_id(), 'BJ-RES-E', 'meter-power', '北京居民电价') returning id::text as id`);
    const [v] = await tx.execute<{ id: string }>(sql`insert into tariff_versions (tenant_id, plan_id, version,
        effective_from, body) values (app_tenant_id(), ${plan.id}, 3, '2026-01-01', '{}') returning id::text as id`);
    const usage = (fen: number, tier: number, quantity: string, price: string) => ({
      category: 'usage',
      fen,
      tier,
      quantity,
      price,
      tariffVersionId: v.id,
      readings,
    });
    const issuedA = await fixtureBill(tx, areaA, 'BA1', [
      usage(11_719, 1, '240', '0.4883'),
      usage(8_613, 2, '160', '0.5383'),
      { category: 'fixed', fen: 500 },
    ]);
    await fixtureIssue(tx, issuedA.bill, '2026-11-15');
    const heldA = await fixtureBill(
      tx,
      areaA,
      'BA2',
      [{ ...usage(4_883, 1, '100', '0.4883'), readings: [{ ...readings[1], kind: 5 }] }],
      { holdReasons: ['estimated'] },
    );
    const heldB = await fixtureBill(tx, areaB, 'BB1', [{ category: 'usage', fen: 3_000 }], {
      holdReasons: ['missing'],
    });
    const issuedB = await fixtureBill(tx, areaB, 'BB2', [{ category: 'usage', fen: 7_000 }]);
    await fixtureIssue(tx, issuedB.bill, '2026-11-15');
    return { versionId: v.id, issuedA, heldA, heldB, issuedB };
  });
  const other = await otherTenant(p);
  return { p, admin, other, areaA, areaB, ...made };
}

/** Counts of the billing rows over all tenants (the system path), and audit entries about bills. */
export async function billRows(w: BillWorld) {
  const [row] = (await w.p.running.platform.database.sql`
    select (select count(*) from ledger_entries)::int as entries,
      (select count(*) from bills where status = 'held')::int as held,
      (select count(*) from bills where status = 'issued')::int as issued,
      (select count(*) from bills where status = 'cancelled')::int as cancelled,
      (select count(*) from bill_runs)::int as runs,
      (select count(*) from audit_log where target_type = 'bill')::int as audit`) as unknown as Record<
    string,
    number
  >[];
  return row;
}
