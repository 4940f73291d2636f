import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Customer } from './session.ts';

const fen = (v: unknown) => String(v ?? '0');
/** 张三丰 → 张** : enough for the customer to recognise the account, not a stranger's full name. */
const maskName = (name: string) => {
  const c = [...name];
  return c.length <= 1 ? name : c[0] + '*'.repeat(c.length - 1);
};

/**
 * The customer's bound accounts with balance, prepaid state and "about N days left at your usual
 * use": the balance over the average daily charge (usage charges and prepaid deductions posted to
 * the ledger) of the last 30 days (or of the account's ledger life when shorter) — null when nothing
 * was charged or the balance is not positive.
 */
export async function boundAccounts(tx: Tx, who: Customer, only?: string) {
  const rows = await tx.execute<Record<string, unknown>>(sql`
    select a.id::text, a.number, c.name as customer_name, a.status, coalesce(b.balance_fen, 0)::text as balance_fen,
      pa.state as prepaid_state,
      (select coalesce(-sum(l.amount_fen), 0)::text from ledger_entries l
        where l.account_id = a.id and l.kind = 'charge' and l.occurred_on > current_date - 30) as charged_30d,
      (select least(30, current_date - min(l.occurred_on) + 1) from ledger_entries l
        where l.account_id = a.id) as window_days
    from self_bindings s join accounts a on a.tenant_id = s.tenant_id and a.id = s.account_id
      join customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
      left join account_balances b on b.tenant_id = a.tenant_id and b.account_id = a.id
      left join prepaid_accounts pa on pa.tenant_id = a.tenant_id and pa.account_id = a.id
    where s.identity_id = ${who.identityId} ${only ? sql`and a.id = ${only}` : sql``}
    order by s.created_at, a.number`);
  return rows.map((r) => {
    const balance = BigInt(fen(r.balance_fen));
    const charged = BigInt(fen(r.charged_30d));
    // the last 30 days, or fewer for an account whose ledger is younger
    const days = Math.max(0, Number(r.window_days ?? 0));
    const perDay = days > 0 && charged > 0n ? charged / BigInt(days) : 0n;
    return {
      id: String(r.id),
      number: String(r.number),
      customerName: maskName(String(r.customer_name)),
      status: String(r.status),
      balanceFen: balance.toString(),
      prepaidState: (r.prepaid_state as string | null) ?? null,
      dailyChargeFen: perDay.toString(),
      daysLeft: perDay > 0n && balance > 0n ? Number(balance / perDay) : null,
    };
  });
}

/** The meters of a bound account (the caller checked the binding). */
export async function accountMeters(tx: Tx, accountId: string) {
  const rows = await tx.execute<{ id: string; kind: string; asset_no: string; location: string | null }>(sql`
    select id::text, kind, asset_no, location from meters where account_id = ${accountId} order by kind, asset_no`);
  return rows.map((m) => ({ id: m.id, kind: m.kind, assetNo: m.asset_no, location: m.location }));
}

/**
 * Usage of one meter of the account: `daily` the last 30 days, `monthly` the last 12 months
 * with the same month a year before beside each (year over year). SELF_NOT_FOUND for a meter
 * that is not on the account.
 */
export async function meterUsage(tx: Tx, accountId: string, meterId: string, period: 'daily' | 'monthly') {
  const [m] = await tx.execute(sql`select 1 from meters where id = ${meterId} and account_id = ${accountId}`);
  if (!m) throw new AppError('SELF_NOT_FOUND', undefined, { id: meterId });
  if (period === 'daily') {
    const rows = await tx.execute<{ day: string; usage: string }>(sql`
      select d::date::text as day, coalesce(c.usage, 0)::text as usage
      from generate_series(current_date - 29, current_date, interval '1 day') d
        left join consumption_daily c on c.meter_id = ${meterId} and c.day = d::date
      order by d`);
    return { period, points: rows.map((r) => ({ label: r.day, usage: r.usage, lastYear: null })) };
  }
  const rows = await tx.execute<{ month: string; usage: string; last_year: string }>(sql`
    select to_char(d, 'YYYY-MM') as month, coalesce(c.usage, 0)::text as usage, coalesce(p.usage, 0)::text as last_year
    from generate_series(date_trunc('month', current_date) - interval '11 months', date_trunc('month', current_date),
        interval '1 month') d
      left join consumption_monthly c on c.meter_id = ${meterId} and c.month = d::date
      left join consumption_monthly p on p.meter_id = ${meterId} and p.month = (d - interval '1 year')::date
    order by d`);
  return { period, points: rows.map((r) => ({ label: r.month, usage: r.usage, lastYear: r.last_year })) };
}

/** Issued bills of the account with their lines, newest first. */
export async function accountBills(tx: Tx, accountId: string) {
  const bills = await tx.execute<Record<string, string | null>>(sql`
    select id::text, number, period_from::text, period_to::text, total_fen::text, due_date::text, issued_at::text
    from bills where account_id = ${accountId} and status = 'issued' order by period_to desc limit 24`);
  const ids = bills.map((b) => String(b.id));
  const lines = ids.length
    ? await tx.execute<Record<string, string | null>>(sql`
        select bill_id::text, line_no, label, component, quantity::text, unit, price::text, amount_fen::text
        from bill_lines where bill_id = any(${`{${ids.join(',')}}`}::uuid[]) order by bill_id, line_no`)
    : [];
  return bills.map((b) => ({
    id: String(b.id),
    number: b.number,
    periodFrom: String(b.period_from),
    periodTo: String(b.period_to),
    totalFen: String(b.total_fen),
    dueDate: b.due_date,
    lines: lines
      .filter((l) => l.bill_id === b.id)
      .map((l) => ({
        label: l.label || String(l.component),
        quantity: l.quantity,
        unit: l.unit,
        price: l.price,
        amountFen: String(l.amount_fen),
      })),
  }));
}

/** Payments into the account (counter and online), newest first. */
export async function accountPayments(tx: Tx, accountId: string) {
  const rows = await tx.execute<Record<string, string>>(sql`
    select id::text, method, amount_fen::text, status, created_at::text from payments
    where account_id = ${accountId} order by created_at desc limit 50`);
  return rows.map((r) => ({
    id: r.id,
    method: r.method,
    amountFen: r.amount_fen,
    status: r.status,
    paidAt: new Date(r.created_at).toISOString(),
  }));
}

/** Notices the account's customer was sent (low balance, payment received …); codes excluded. */
export async function accountNotices(tx: Tx, accountId: string) {
  const rows = await tx.execute<Record<string, string>>(sql`
    select id::text, event, channel, subject, body, finished_at::text from notify_outbox
    where account_id = ${accountId} and status = 'sent' and event <> 'self-verify-code'
    order by id desc limit 50`);
  return rows.map((r) => ({
    id: r.id,
    event: r.event,
    channel: r.channel,
    subject: r.subject,
    body: r.body,
    sentAt: new Date(r.finished_at).toISOString(),
  }));
}

/** SELF_NOT_FOUND unless the payment is into one of the customer's bound accounts. */
export async function requireOwnPayment(tx: Tx, who: Customer, paymentId: string): Promise<void> {
  const [row] = await tx.execute(sql`select 1 from payments p join self_bindings s
      on s.tenant_id = p.tenant_id and s.account_id = p.account_id and s.identity_id = ${who.identityId}
    where p.id = ${paymentId}`);
  if (!row) throw new AppError('SELF_NOT_FOUND', undefined, { id: paymentId });
}
