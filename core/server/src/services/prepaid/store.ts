import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { PrepaidState } from './policy-types.ts';

export type PrepaidRow = {
  accountId: string;
  groupId: string | null;
  state: PrepaidState;
  stateSince: string;
  seq: number;
  keepPower: boolean;
  cutDueAt: string | null;
  commandIds: string[];
  commandStatus: 'none' | 'in_flight' | 'failed';
  commandError: string | null;
  nextCheckAt: string | null;
  balanceFen: number;
  evaluatedAt: string | null;
};

export const prepaidColumns = sql`p.account_id::text as "accountId", p.group_id::text as "groupId", p.state,
  p.state_since as "stateSince", p.seq, p.keep_power as "keepPower", p.cut_due_at as "cutDueAt",
  p.command_ids::text[] as "commandIds", p.command_status as "commandStatus", p.command_error as "commandError",
  p.next_check_at as "nextCheckAt", p.balance_fen::float8 as "balanceFen", p.evaluated_at as "evaluatedAt"`;

/** Is the account prepaid on `day` (its billing mode in force; default: the database's today)? */
export async function isPrepaid(tx: Tx, accountId: string, day?: string): Promise<boolean> {
  const on = day ? sql`${day}::date` : sql`current_date`;
  const [r] = await tx.execute<{ mode: string | null }>(sql`
    select (select m.mode from account_billing_modes m where m.account_id = ${accountId}
            and m.effective_from <= ${on} order by m.effective_from desc limit 1) as mode`);
  return r?.mode === 'prepaid';
}

/** The account's prepaid row, created (normal) on first sight and locked for the caller's transaction. */
export async function lockPrepaid(tx: Tx, tenantId: string, accountId: string): Promise<PrepaidRow> {
  await tx.execute(sql`insert into prepaid_accounts (tenant_id, account_id) values (${tenantId}, ${accountId})
    on conflict (tenant_id, account_id) do nothing`);
  const [row] = await tx.execute<PrepaidRow>(sql`
    select ${prepaidColumns} from prepaid_accounts p where p.account_id = ${accountId} for update`);
  return row;
}

export async function balanceOf(tx: Tx, accountId: string): Promise<number> {
  const [r] = await tx.execute<{ b: number }>(sql`
    select coalesce((select balance_fen from account_balances where account_id = ${accountId}), 0)::float8 as b`);
  return r.b;
}

/** Marks the tenant's prepaid accounts matching `where` for evaluation and wakes the worker. */
export async function markDirty(tx: Tx, tenantId: string, where = sql`true`): Promise<void> {
  await tx.execute(sql`insert into prepaid_dirty (tenant_id, account_id)
    select tenant_id, account_id from prepaid_accounts where ${where} on conflict do nothing`);
  await tx.execute(sql`select pg_notify('prepaid_dirty', ${tenantId})`);
}
