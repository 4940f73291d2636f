import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { kickNotify } from '../notify/queue.ts';
import type { Customer } from './session.ts';

/** Limits (decision 0037): codes per identity and per account, checks per identity. */
export const CODE_TTL_MINUTES = 10;
export const CODE_MIN_GAP_SECONDS = 60;
export const CODES_PER_HOUR = 5;
export const TRIES_PER_CODE = 5;
export const TRIES_PER_HOUR = 10;

const codeHash = (id: string, code: string) => createHash('sha256').update(`${id}:${code}`).digest('hex');

type Holder = {
  id: string;
  number: string;
  phone: string | null;
  tenant_name: string;
};

async function accountByNumber(tx: Tx, number: string): Promise<Holder | undefined> {
  const [row] = await tx.execute<Holder>(sql`
    select a.id::text, a.number, c.phone, t.name as tenant_name
    from accounts a join customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
      join tenants t on t.id = a.tenant_id
    where a.number = ${number} and a.status = 'active'`);
  return row;
}

/**
 * Sends a binding code for an account number to the phone on file, through the notify outbox and
 * the SMS notifier. The answer does not say whether the number exists (no account enumeration);
 * limits: one code a minute and CODES_PER_HOUR an hour per customer, CODES_PER_HOUR an hour per
 * account (no SMS bombing through many customers) — SELF_RATE_LIMITED.
 */
export async function sendCode(
  tx: Tx,
  who: Customer,
  accountNumber: string,
): Promise<{ accountId?: string }> {
  const [mine] = await tx.execute<{ minute: number; hour: number }>(sql`
    select count(*) filter (where created_at > now() - ${`${CODE_MIN_GAP_SECONDS} seconds`}::interval)::int as minute,
      count(*)::int as hour
    from self_codes where identity_id = ${who.identityId} and created_at > now() - interval '1 hour'`);
  if (mine.minute > 0 || mine.hour >= CODES_PER_HOUR)
    throw new AppError('SELF_RATE_LIMITED', undefined, {
      retryAfterSeconds: mine.minute > 0 ? CODE_MIN_GAP_SECONDS : 3600,
    });
  const account = await accountByNumber(tx, accountNumber);
  if (!account?.phone) return {};
  const [theirs] = await tx.execute<{ hour: number }>(sql`select count(*)::int as hour from self_codes
    where account_id = ${account.id} and created_at > now() - interval '1 hour'`);
  if (theirs.hour >= CODES_PER_HOUR)
    throw new AppError('SELF_RATE_LIMITED', undefined, { retryAfterSeconds: 3600 });
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const [made] = await tx.execute<{ id: string }>(sql`select gen_random_uuid()::text as id`);
  await tx.execute(sql`insert into self_codes (tenant_id, id, identity_id, account_id, code_hash, expires_at)
    values (${who.tenantId}, ${made.id}, ${who.identityId}, ${account.id}, ${codeHash(made.id, code)},
      now() + ${`${CODE_TTL_MINUTES} minutes`}::interval)`);
  const body = `【${account.tenant_name}】验证码 ${code}，${CODE_TTL_MINUTES}分钟内有效，用于绑定户号 ${account.number}。如非本人操作请忽略。`;
  await tx.execute(sql`insert into notify_outbox (tenant_id, message_id, account_id, event, channel, recipient, body, vars)
    values (${who.tenantId}, ${`self-code:${made.id}`}, ${account.id}, 'self-verify-code', 'sms', ${account.phone},
      ${body}, ${JSON.stringify({ accountNumber: account.number, minutes: String(CODE_TTL_MINUTES) })}::jsonb)`);
  await kickNotify(who.tenantId, { tx });
  return { accountId: account.id };
}

export type BindOutcome =
  | { kind: 'bound'; accountId: string; created: boolean }
  | { kind: 'wrong' }
  | { kind: 'limited' };

/**
 * Checks a code for an account number and binds the account. A wrong code counts an attempt on the
 * newest open code (the caller commits it, then answers SELF_CODE_INVALID); a code is used once,
 * dies after TRIES_PER_CODE wrong tries or CODE_TTL_MINUTES; TRIES_PER_HOUR per customer.
 */
export async function bindWithCode(
  tx: Tx,
  who: Customer,
  accountNumber: string,
  code: string,
): Promise<BindOutcome> {
  // the ID-digit tries (decision 0046) count towards the same per-identity limit
  const [tries] = await tx.execute<{ n: number }>(sql`select
    (select coalesce(sum(attempts), 0) from self_codes
      where identity_id = ${who.identityId} and created_at > now() - interval '1 hour')::int
    + (select count(*) from self_id_attempts
      where identity_id = ${who.identityId} and created_at > now() - interval '1 hour')::int as n`);
  if (tries.n >= TRIES_PER_HOUR) return { kind: 'limited' };
  const account = await accountByNumber(tx, accountNumber);
  if (!account) return { kind: 'wrong' };
  const [open] = await tx.execute<{ id: string; code_hash: string; attempts: number }>(sql`
    select id::text, code_hash, attempts from self_codes
    where identity_id = ${who.identityId} and account_id = ${account.id} and used_at is null and expires_at > now()
      and attempts < ${TRIES_PER_CODE}
    order by created_at desc limit 1 for update`);
  if (!open) return { kind: 'wrong' };
  const given = Buffer.from(codeHash(open.id, code));
  if (!timingSafeEqual(given, Buffer.from(open.code_hash))) {
    await tx.execute(sql`update self_codes set attempts = attempts + 1 where id = ${open.id}`);
    return { kind: 'wrong' };
  }
  await tx.execute(sql`update self_codes set used_at = now(), attempts = attempts + 1 where id = ${open.id}`);
  const added = await tx.execute(sql`insert into self_bindings (tenant_id, identity_id, account_id, method)
    values (${who.tenantId}, ${who.identityId}, ${account.id}, 'sms') on conflict do nothing returning account_id`);
  return { kind: 'bound', accountId: account.id, created: (added as unknown[]).length > 0 };
}

/** Removes a binding of the customer's (SELF_NOT_FOUND when there is none). */
export async function unbind(tx: Tx, who: Customer, accountId: string): Promise<void> {
  const gone = await tx.execute(sql`delete from self_bindings
    where identity_id = ${who.identityId} and account_id = ${accountId} returning account_id`);
  if ((gone as unknown[]).length === 0) throw new AppError('SELF_NOT_FOUND', undefined, { id: accountId });
}

/** The one gate: the account is bound to this customer, else SELF_NOT_FOUND (same as no account). */
export async function requireBound(tx: Tx, who: Customer, accountId: string): Promise<void> {
  const [row] = await tx.execute(sql`select 1 from self_bindings
    where identity_id = ${who.identityId} and account_id = ${accountId}`);
  if (!row) throw new AppError('SELF_NOT_FOUND', undefined, { id: accountId });
}
