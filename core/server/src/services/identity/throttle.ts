import { AppError } from '@quadmeter/sdk';
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { loginAttempts } from '../../db/schema/index.ts';

export const throttle = { windowMinutes: 15, perAccount: 5, perAddress: 30 };

/** Advisory-lock namespaces (first key of the two-key form), so the two kinds of key never collide. */
const LOCK_ACCOUNT = 0x51_4d_01;
const LOCK_ADDRESS = 0x51_4d_02;

/**
 * Decides whether a login attempt may be checked and records it in the same transaction, under
 * per-account and per-address advisory locks, so concurrent attempts cannot all slip under the
 * limit. The attempt is stored as a failure before the password is verified; a correct password
 * marks it successful afterwards (`markAttemptSucceeded`).
 *
 * Policy: an address with `perAddress` failures in the window is refused. An account with
 * `perAccount` failures in the window is refused from every address that itself failed in the
 * window; an address with no recent failure still gets its attempt checked, so a stranger cannot
 * lock the owner out, and each such address gets one guess before it is refused too.
 */
export async function beginAttempt(tx: Tx, accountKey: string, ip: string): Promise<number> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(${LOCK_ACCOUNT}::int, hashtext(${accountKey})),
               pg_advisory_xact_lock(${LOCK_ADDRESS}::int, hashtext(${ip}))`,
  );
  const [counts] = (await tx.execute(
    sql`select count(*) filter (where account_key = ${accountKey})::int as account,
               count(*) filter (where ip = ${ip})::int as address
          from ${loginAttempts}
         where not ok and at > now() - make_interval(mins => ${throttle.windowMinutes}::int)
           and (account_key = ${accountKey} or ip = ${ip})`,
  )) as unknown as { account: number; address: number }[];
  const lockedAccount = counts.account >= throttle.perAccount && counts.address > 0;
  if (lockedAccount || counts.address >= throttle.perAddress) {
    throw new AppError('AUTH_THROTTLED', undefined, { retryAfterMinutes: throttle.windowMinutes });
  }
  const [row] = await tx
    .insert(loginAttempts)
    .values({ accountKey, ip, ok: false })
    .returning({ id: loginAttempts.id });
  return row.id;
}

export async function markAttemptSucceeded(tx: Tx, attemptId: number): Promise<void> {
  await tx.update(loginAttempts).set({ ok: true }).where(eq(loginAttempts.id, attemptId));
}
