import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { policyFor } from './policy.ts';
import { isPrepaid } from './store.ts';

/**
 * Refuses a top-up that would lift a prepaid account's balance above its hoarding limit
 * (囤积金额限值), with PREPAID_HOARDING_LIMIT. Locks the account's balance row so two concurrent
 * top-ups cannot both pass against the same balance. Postpaid accounts and policies without a limit pass.
 */
export async function checkHoarding(tx: Tx, accountId: string, amountFen: bigint): Promise<void> {
  if (!(await isPrepaid(tx, accountId))) return;
  const policy = await policyFor(tx, accountId);
  if (policy.hoardingLimitFen === null) return;
  // the balance row exists (zero) before the first posting, so even two first top-ups serialise on it
  await tx.execute(sql`insert into account_balances (tenant_id, account_id) values (app_tenant_id(), ${accountId})
    on conflict (tenant_id, account_id) do nothing`);
  const [b] = await tx.execute<{ b: string | null }>(sql`
    select balance_fen::text as b from account_balances where account_id = ${accountId} for update`);
  const balance = BigInt(b?.b ?? '0');
  if (balance + amountFen > BigInt(policy.hoardingLimitFen))
    throw new AppError('PREPAID_HOARDING_LIMIT', undefined, {
      balanceFen: balance.toString(),
      amountFen: amountFen.toString(),
      hoardingLimitFen: String(policy.hoardingLimitFen),
    });
}
