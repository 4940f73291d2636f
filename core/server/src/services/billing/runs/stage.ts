import type { Db } from '../../../db/client.ts';
import { withTenant } from '../../../db/tenant.ts';
import { type Profile, timed } from './profile.ts';
import { countInScope, type RunScope, stageAccounts, stagedAccounts, stageUsage } from './reads.ts';
import { setTotal } from './start.ts';

/** From this many accounts a run stages its usage with one scan of the period's daily rows. */
export const SCAN_FROM = 20_000;

/**
 * Stages a run's input and returns the accounts to bill, in id order. Many accounts (from
 * `scanFrom`): the usage side (one scan of the period's daily rows) and the accounts side are two
 * statements on two connections at once, each its own transaction: each runs on one core, so the
 * staging takes the longer of the two, not their sum. Both wait for each other before the run goes
 * on, so a failure of one never leaves the other writing after the run dropped its input. Few
 * accounts: both in one transaction, the usage summed for the meters the accounts side staged.
 * `total`: the run's progress total, when an earlier execution set it; otherwise this sets it to
 * what it staged (last: the run row stays unlocked while staging).
 */
export async function stageRun(
  db: Db,
  tenantId: string,
  runId: string,
  scope: RunScope,
  total: number | null,
  scanFrom = SCAN_FROM,
  profile?: Profile,
): Promise<string[]> {
  const large = (total ?? (await withTenant(db, tenantId, (tx) => countInScope(tx, scope)))) >= scanFrom;
  const accounts = async (): Promise<string[]> =>
    timed(profile, 'stage accounts', () =>
      withTenant(db, tenantId, async (tx) => {
        await stageAccounts(tx, scope, large);
        if (!large) await stageUsage(tx, scope, false);
        const ids = await stagedAccounts(tx, scope);
        if (total === null) await setTotal(tx, runId, ids.length);
        return ids;
      }),
    );
  if (!large) return await accounts();
  const [usage, ids] = await Promise.allSettled([
    timed(profile, 'stage usage', () => withTenant(db, tenantId, (tx) => stageUsage(tx, scope, true))),
    accounts(),
  ]);
  if (usage.status === 'rejected') throw usage.reason;
  if (ids.status === 'rejected') throw ids.reason;
  return ids.value;
}
