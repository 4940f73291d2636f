import { AppError } from '@quadmeter/sdk';
import { and, count, eq, gt } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { loginAttempts } from '../../db/schema/index.ts';

export const throttle = { windowMinutes: 15, perAccount: 5, perAddress: 30 };

/** Refuses a login when the account or the address has failed too often in the window. */
export async function assertNotThrottled(tx: Tx, accountKey: string, ip: string): Promise<void> {
  const since = new Date(Date.now() - throttle.windowMinutes * 60_000);
  const [byAccount] = await tx
    .select({ n: count() })
    .from(loginAttempts)
    .where(
      and(eq(loginAttempts.accountKey, accountKey), eq(loginAttempts.ok, false), gt(loginAttempts.at, since)),
    );
  const [byIp] = await tx
    .select({ n: count() })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.ip, ip), eq(loginAttempts.ok, false), gt(loginAttempts.at, since)));
  if (byAccount.n >= throttle.perAccount || byIp.n >= throttle.perAddress) {
    throw new AppError('AUTH_THROTTLED', undefined, { retryAfterMinutes: throttle.windowMinutes });
  }
}

export async function recordAttempt(tx: Tx, accountKey: string, ip: string, ok: boolean): Promise<void> {
  await tx.insert(loginAttempts).values({ accountKey, ip, ok });
}
