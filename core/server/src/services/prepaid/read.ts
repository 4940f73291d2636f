import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { getAccount } from '../archives/accounts.ts';
import type { Actor } from '../identity/actor.ts';
import { policyFor } from './policy.ts';
import { type PrepaidRow, prepaidColumns } from './store.ts';

const scoped = (actor: Actor, areaId?: string) => sql`
  ${actor.areaScope ? sql`and ar.path && ${uuidArray(actor.areaScope)}` : sql``}
  ${areaId ? sql`and ar.path @> ${uuidArray([areaId])}` : sql``}`;

/**
 * The status board: prepaid accounts per state, per area of their customer, inside the actor's
 * scope (and under `areaId` when given); `failed` counts accounts whose cut or reconnect failed.
 */
export async function prepaidBoard(tx: Tx, actor: Actor, areaId?: string) {
  const rows = await tx.execute<{
    areaId: string;
    areaName: string;
    state: string;
    n: number;
    failed: number;
  }>(sql`
    select ar.id::text as "areaId", ar.name as "areaName", p.state, count(*)::int as n,
      (count(*) filter (where p.command_status = 'failed'))::int as failed
    from prepaid_accounts p
    join accounts a on a.id = p.account_id
    join customers c on c.id = a.customer_id
    join areas ar on ar.id = c.area_id
    where true ${scoped(actor, areaId)}
    group by ar.id, ar.name, p.state order by ar.name, ar.id, p.state`);
  const totals: Record<string, number> = {};
  const areas = new Map<
    string,
    { areaId: string; areaName: string; counts: Record<string, number>; failed: number }
  >();
  let failed = 0;
  for (const r of rows) {
    totals[r.state] = (totals[r.state] ?? 0) + r.n;
    failed += r.failed;
    const a = areas.get(r.areaId) ?? { areaId: r.areaId, areaName: r.areaName, counts: {}, failed: 0 };
    a.counts[r.state] = r.n;
    a.failed += r.failed;
    areas.set(r.areaId, a);
  }
  return { totals, failed, areas: [...areas.values()] };
}

export interface PrepaidListQuery {
  state?: string;
  areaId?: string;
  failed?: boolean;
  after?: string;
  limit: number;
}

/** The board's drill-down: prepaid accounts in a state (and area), by account number, keyset pages. */
export async function listPrepaid(tx: Tx, actor: Actor, q: PrepaidListQuery) {
  const rows = await tx.execute<PrepaidRow & { number: string; customerName: string; areaName: string }>(sql`
    select ${prepaidColumns}, a.number, c.name as "customerName", ar.name as "areaName"
    from prepaid_accounts p
    join accounts a on a.id = p.account_id
    join customers c on c.id = a.customer_id
    join areas ar on ar.id = c.area_id
    where true ${scoped(actor, q.areaId)}
      ${q.state ? sql`and p.state = ${q.state}` : sql``}
      ${q.failed ? sql`and p.command_status = 'failed'` : sql``}
      ${q.after ? sql`and a.number > ${q.after}` : sql``}
    order by a.number limit ${q.limit + 1}`);
  const items = rows.slice(0, q.limit);
  return { items, next: rows.length > q.limit ? items[items.length - 1].number : null };
}

/** The account's prepaid panel: balance, state, policy in force, next action, events and notices. */
export async function prepaidPanel(tx: Tx, actor: Actor, accountId: string) {
  const account = await getAccount(tx, actor, accountId);
  const [row] = await tx.execute<PrepaidRow>(
    sql`select ${prepaidColumns} from prepaid_accounts p where p.account_id = ${account.id}`,
  );
  const [bal] = await tx.execute<{ b: number }>(sql`
    select coalesce((select balance_fen from account_balances where account_id = ${account.id}), 0)::float8 as b`);
  const [mode] = await tx.execute<{ mode: string | null }>(sql`
    select (select m.mode from account_billing_modes m where m.account_id = ${account.id}
            and m.effective_from <= current_date order by m.effective_from desc limit 1) as mode`);
  const events = await tx.execute<Record<string, unknown>>(sql`
    select id::text as id, seq, kind, from_state as "fromState", to_state as "toState",
      balance_fen::float8 as "balanceFen", notice, notice_key as "noticeKey", detail, created_at as "createdAt"
    from prepaid_events where account_id = ${account.id} order by seq desc limit 200`);
  // the account's recent deductions (decision 0030), newest first
  const deductions = await tx.execute<Record<string, unknown>>(sql`
    select e.occurred_on::text as day, e.meter_id::text as "meterId", e.category, e.amount_fen::float8 as "amountFen",
      e.business_key as "businessKey", e.posted_at as "postedAt"
    from ledger_entries e where e.account_id = ${account.id} and e.business_key like 'deduct:%'
    order by e.occurred_on desc, e.id desc limit 60`);
  return {
    accountId: account.id,
    accountNumber: account.number,
    prepaid: mode?.mode === 'prepaid',
    balanceFen: bal.b,
    state: row?.state ?? null,
    stateSince: row?.stateSince ?? null,
    keepPower: row?.keepPower ?? false,
    groupId: row?.groupId ?? null,
    commandStatus: row?.commandStatus ?? 'none',
    commandError: row?.commandError ?? null,
    commandIds: row?.commandIds ?? [],
    next: nextAction(row),
    policy: await policyFor(tx, account.id),
    events,
    notices: events.filter((e) => e.notice !== null),
    deductions,
  };
}

/** What happens next on its own, and when (null: nothing until the balance changes). */
function nextAction(row: PrepaidRow | undefined): { action: string; at: string | null } | null {
  if (!row) return null;
  if (row.commandStatus === 'failed') return { action: 'operator-retry', at: null };
  if (row.state === 'cut_pending')
    return row.commandStatus === 'in_flight'
      ? { action: 'await-cut-confirmation', at: null }
      : row.keepPower
        ? { action: 'held-by-keep-power', at: null }
        : { action: 'cut', at: row.cutDueAt };
  if (row.state === 'reconnect_pending') return { action: 'await-reconnect-confirmation', at: null };
  if (row.state === 'cut') return { action: 'reconnect-on-top-up', at: null };
  return null;
}
