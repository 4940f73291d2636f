import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type PolicyLevel, type PrepaidPolicy, resolvePolicy } from './policy-types.ts';

const levelColumns = sql`alarm1_fen::float8 as "alarm1Fen", alarm2_fen::float8 as "alarm2Fen",
  overdraft_limit_fen::float8 as "overdraftLimitFen", cut_delay_minutes as "cutDelayMinutes",
  reconnect_threshold_fen::float8 as "reconnectThresholdFen", hoarding_limit_fen::float8 as "hoardingLimitFen",
  night_protect as "nightProtect", night_start as "nightStart", night_end as "nightEnd",
  weekend_protect as "weekendProtect", holiday_protect as "holidayProtect"`;

export type LevelKey =
  | { level: 'tenant' }
  | { level: 'group'; groupId: string }
  | { level: 'account'; accountId: string };

const where = (k: LevelKey) =>
  k.level === 'tenant'
    ? sql`level = 'tenant'`
    : k.level === 'group'
      ? sql`level = 'group' and group_id = ${k.groupId}`
      : sql`level = 'account' and account_id = ${k.accountId}`;

/** One stored level (null when nothing is stored there). */
export async function readLevel(tx: Tx, k: LevelKey): Promise<PolicyLevel | null> {
  const [row] = await tx.execute<PolicyLevel>(
    sql`select ${levelColumns} from prepaid_policies where ${where(k)}`,
  );
  return row ?? null;
}

/** The policy in force for an account: account → its group → tenant default → built-in. */
export async function policyFor(tx: Tx, accountId: string): Promise<PrepaidPolicy> {
  const [g] = await tx.execute<{ groupId: string | null }>(sql`
    select group_id::text as "groupId" from prepaid_accounts where account_id = ${accountId}`);
  const tenant = await readLevel(tx, { level: 'tenant' });
  const group = g?.groupId ? await readLevel(tx, { level: 'group', groupId: g.groupId }) : null;
  const account = await readLevel(tx, { level: 'account', accountId });
  return resolvePolicy([tenant, group, account]);
}

/** A policy whose amounts contradict each other cannot be saved. */
export function checkPolicy(p: PrepaidPolicy): void {
  const problems: { path: string; message: string }[] = [];
  if (p.alarm2Fen > p.alarm1Fen) problems.push({ path: 'alarm2Fen', message: 'must not exceed alarm1Fen' });
  if (p.hoardingLimitFen !== null && p.hoardingLimitFen < p.alarm1Fen)
    problems.push({ path: 'hoardingLimitFen', message: 'must not be below alarm1Fen' });
  if (p.hoardingLimitFen !== null && p.hoardingLimitFen < p.reconnectThresholdFen)
    problems.push({ path: 'hoardingLimitFen', message: 'must not be below reconnectThresholdFen' });
  if (problems.length) throw new AppError('PREPAID_POLICY_INVALID', undefined, problems);
}

/**
 * Stores one level (replacing what was there; null fields inherit) after checking that the policy
 * it yields for the tenant, the group or the account still holds together. Answers the level stored.
 */
export async function saveLevel(tx: Tx, tenantId: string, k: LevelKey, v: PolicyLevel): Promise<PolicyLevel> {
  const tenant = k.level === 'tenant' ? v : await readLevel(tx, { level: 'tenant' });
  const group =
    k.level === 'group' ? v : k.level === 'account' ? await groupLevelOfAccount(tx, k.accountId) : null;
  checkPolicy(resolvePolicy([tenant, group, k.level === 'account' ? v : null]));
  await tx.execute(sql`delete from prepaid_policies where ${where(k)}`);
  await tx.execute(sql`
    insert into prepaid_policies (tenant_id, level, group_id, account_id, alarm1_fen, alarm2_fen,
      overdraft_limit_fen, cut_delay_minutes, reconnect_threshold_fen, hoarding_limit_fen, night_protect,
      night_start, night_end, weekend_protect, holiday_protect)
    values (${tenantId}, ${k.level}, ${k.level === 'group' ? k.groupId : null}, ${k.level === 'account' ? k.accountId : null},
      ${v.alarm1Fen}, ${v.alarm2Fen}, ${v.overdraftLimitFen}, ${v.cutDelayMinutes}, ${v.reconnectThresholdFen},
      ${v.hoardingLimitFen}, ${v.nightProtect}, ${v.nightStart}, ${v.nightEnd}, ${v.weekendProtect}, ${v.holidayProtect})`);
  return (await readLevel(tx, k)) as PolicyLevel;
}

async function groupLevelOfAccount(tx: Tx, accountId: string): Promise<PolicyLevel | null> {
  const [g] = await tx.execute<{ groupId: string | null }>(sql`
    select group_id::text as "groupId" from prepaid_accounts where account_id = ${accountId}`);
  return g?.groupId ? await readLevel(tx, { level: 'group', groupId: g.groupId }) : null;
}

/** Removes a group's or an account's override (the level above applies again). */
export async function clearLevel(tx: Tx, k: LevelKey): Promise<boolean> {
  const gone = await tx.execute(sql`delete from prepaid_policies where ${where(k)} returning id`);
  return gone.length > 0;
}
