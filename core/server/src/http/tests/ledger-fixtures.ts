import { sql } from 'drizzle-orm';
import type { Client } from '../../../test/client.ts';
import { loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { postEntries } from '../../services/billing/ledger/index.ts';
import { entry } from '../../services/billing/ledger/ledger-fixtures.ts';
import { demoAreas, inDemo, otherTenant } from './archive-fixtures.ts';

/**
 * The demo tenant with one account in 1号楼 (area A) and one in 3号楼 (area B), each with a few
 * entries already posted; a second tenant "other".
 */
export interface LedgerWorld {
  p: TestPlatform;
  admin: Client;
  other: Client;
  areaA: string;
  areaB: string;
  accA: string;
  accB: string;
  /** entry ids on accA: a usage charge of 100.00, a fixed charge of 20.00, a payment of 50.00 */
  chargeA: string;
  fixedA: string;
  paymentA: string;
  /** a charge on accB */
  chargeB: string;
}

async function account(p: TestPlatform, areaId: string, n: string): Promise<string> {
  return await inDemo(p, async (tx) => {
    const [c] = await tx.execute<{ id: string }>(
      sql`insert into customers (tenant_id, number, name, area_id) values (app_tenant_id(), ${`LC${n}`}, ${`户主${n}`}, ${areaId}) returning id`,
    );
    const [a] = await tx.execute<{ id: string }>(
      sql`insert into accounts (tenant_id, customer_id, number) values (app_tenant_id(), ${c.id}, ${`LA${n}`}) returning id`,
    );
    return a.id;
  });
}

export async function ledgerWorld(): Promise<LedgerWorld> {
  const p = await startTestPlatform();
  const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const areas = await demoAreas(admin);
  const areaA = areas['1号楼'].id;
  const areaB = areas['3号楼'].id;
  const accA = await account(p, areaA, '1');
  const accB = await account(p, areaB, '2');
  const [chargeA, fixedA, paymentA, chargeB] = await inDemo(p, (tx) =>
    postEntries(tx, [
      entry(accA, 'charge', -10000, 'w:a:usage', { category: 'usage', occurredOn: '2026-09-30' }),
      entry(accA, 'charge', -2000, 'w:a:fixed', { category: 'fixed', occurredOn: '2026-10-31' }),
      entry(accA, 'payment', 5000, 'pay:w:a', { occurredOn: '2026-11-03' }),
      entry(accB, 'charge', -700, 'w:b:usage', { category: 'usage', occurredOn: '2026-10-31' }),
    ]),
  );
  const other = await otherTenant(p);
  return {
    p,
    admin,
    other,
    areaA,
    areaB,
    accA,
    accB,
    chargeA: chargeA.id,
    fixedA: fixedA.id,
    paymentA: paymentA.id,
    chargeB: chargeB.id,
  };
}

/** Rows of the money tables and audit entries other than logins, over all tenants (the system path). */
export async function ledgerRows(w: LedgerWorld) {
  const [row] = await withSystem(w.p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from ledger_entries)::int as entries,
      (select count(*) from ledger_allocations)::int as allocations,
      (select coalesce(sum(balance_fen), 0)::int from account_balances) as balances,
      (select count(*) from billing_settings)::int as settings,
      (select count(*) from audit_log where action <> 'auth.login')::int as audit`),
  );
  return row as Record<string, number>;
}
