// Test helpers of prepaid: prepaid accounts over given meters, ledger postings, a notice recorder.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { postEntries } from '../billing/ledger/post.ts';
import type { Notice, Notify } from './notify.ts';

/** A customer in the area with one prepaid account owning the meters; answers the account id. */
export async function prepaidAccount(
  db: Db,
  t: { tenantId: string; areaId: string },
  tag: string,
  meterIds: readonly string[] = [],
  mode = 'prepaid',
): Promise<string> {
  return await withTenant(db, t.tenantId, async (tx) => {
    const customerId = randomUUID();
    const accountId = randomUUID();
    await tx.execute(sql`insert into customers (tenant_id, id, number, name, area_id)
      values (${t.tenantId}, ${customerId}, ${`C-${tag}`}, ${`customer ${tag}`}, ${t.areaId})`);
    await tx.execute(sql`insert into accounts (tenant_id, id, customer_id, number)
      values (${t.tenantId}, ${accountId}, ${customerId}, ${`A-${tag}`})`);
    await tx.execute(sql`insert into account_billing_modes (tenant_id, account_id, effective_from, mode)
      values (${t.tenantId}, ${accountId}, '2000-01-01', ${mode})`);
    for (const m of meterIds)
      await tx.execute(sql`update meters set account_id = ${accountId} where id = ${m}`);
    return accountId;
  });
}

let n = 0;
/** Posts one ledger entry (+ payment / top-up, − charge, ± adjustment) as any poster would. */
export async function post(
  db: Db,
  tenantId: string,
  accountId: string,
  amountFen: number,
  kind?: 'adjustment',
) {
  await withTenant(db, tenantId, (tx) =>
    postEntries(tx, [
      {
        accountId,
        kind: kind ?? (amountFen > 0 ? 'topup' : 'charge'),
        amountFen,
        businessKey: `test:${accountId}:${++n}:${randomUUID()}`,
        occurredOn: '2026-12-01',
      },
    ]),
  );
}

/** A Notify that remembers what it was handed (the transaction is live: it may still read). */
export function noticeRecorder(): { notify: Notify; sent: Notice[] } {
  const sent: Notice[] = [];
  const notify: Notify = async (tx: Tx, notice) => {
    await tx.execute(sql`select 1`);
    sent.push(notice);
  };
  return { notify, sent };
}
