import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type BindOutcome, TRIES_PER_HOUR } from './bindings.ts';
import type { Customer } from './session.ts';

/** Characters of the ID number's end the customer gives (decision 0046). */
export const ID_DIGITS = 6;
/** Wrong tries an hour on one account, across all customers (no guessing through many identities). */
export const ID_TRIES_PER_ACCOUNT_HOUR = 10;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The last ID_DIGITS characters, upper-cased (the final check character X of a PRC ID). */
export const idTail = (idNumber: string) => idNumber.trim().slice(-ID_DIGITS).toUpperCase();

/**
 * Binds an account by the last ID_DIGITS characters of the ID number on file. Every try is counted
 * (self_id_attempts) and, with the SMS codes' tries, limited to TRIES_PER_HOUR per customer identity;
 * wrong tries on one account are limited to ID_TRIES_PER_ACCOUNT_HOUR. An unknown account, an account
 * whose customer has no ID number and wrong digits all answer 'wrong' (no enumeration); the caller
 * commits the counted try, then refuses.
 */
export async function bindWithIdDigits(
  tx: Tx,
  who: Customer,
  accountNumber: string,
  digits: string,
): Promise<BindOutcome> {
  const [mine] = await tx.execute<{ n: number }>(sql`select
    (select coalesce(sum(attempts), 0) from self_codes
      where identity_id = ${who.identityId} and created_at > now() - interval '1 hour')::int
    + (select count(*) from self_id_attempts
      where identity_id = ${who.identityId} and created_at > now() - interval '1 hour')::int as n`);
  if (mine.n >= TRIES_PER_HOUR) return { kind: 'limited' };
  const [account] = await tx.execute<{ id: string; id_number: string | null }>(sql`
    select a.id::text, c.id_number from accounts a
      join customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
    where a.number = ${accountNumber} and a.status = 'active'`);
  if (!account) return { kind: 'wrong' };
  const [theirs] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from self_id_attempts
    where account_id = ${account.id} and not ok and created_at > now() - interval '1 hour'`);
  if (theirs.n >= ID_TRIES_PER_ACCOUNT_HOUR) return { kind: 'limited' };
  const onFile = account.id_number ? idTail(account.id_number) : '';
  // compare digests: constant time whatever the lengths, and no match against an empty ID number
  const ok = onFile.length === ID_DIGITS && timingSafeEqual(digest(onFile), digest(digits.toUpperCase()));
  await tx.execute(sql`insert into self_id_attempts (tenant_id, identity_id, account_id, ok)
    values (${who.tenantId}, ${who.identityId}, ${account.id}, ${ok})`);
  if (!ok) return { kind: 'wrong' };
  const added = await tx.execute(sql`insert into self_bindings (tenant_id, identity_id, account_id, method)
    values (${who.tenantId}, ${who.identityId}, ${account.id}, 'id_number') on conflict do nothing
    returning account_id`);
  return { kind: 'bound', accountId: account.id, created: (added as unknown[]).length > 0 };
}
