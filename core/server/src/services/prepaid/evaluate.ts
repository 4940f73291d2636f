import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Zone } from '../readings/zone.ts';
import { loadCalendar } from './calendar.ts';
import { type MachineEvent, step } from './machine.ts';
import type { Notify } from './notify.ts';
import { policyFor } from './policy.ts';
import { cutAllowedAt } from './protection.ts';
import { balanceOf, isPrepaid, lockPrepaid, type PrepaidRow } from './store.ts';
import { failureOf, issueSupply, outcomeOf } from './supply.ts';

export interface PrepaidDeps {
  jobs: Jobs;
  zone: Zone;
  notify: Notify;
}

const yuan = (fen: number) =>
  `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

/**
 * Brings one prepaid account up to date at `now` (decision 0031), in the caller's tenant
 * transaction: locks its row (so concurrent evaluations serialise), reads the balance, the policy,
 * the calendar and its commands' outcome, applies machine steps until one changes nothing, and
 * records each crossing as one event (unique per account and sequence) with its notice. Answers the
 * events recorded. Accounts not in prepaid mode are left alone.
 */
export async function evaluateAccount(
  tx: Tx,
  d: PrepaidDeps,
  tenantId: string,
  accountId: string,
  now = Date.now(),
): Promise<MachineEvent[]> {
  if (!(await isPrepaid(tx, accountId, d.zone.dayOf(now)))) {
    await tx.execute(sql`delete from prepaid_dirty where account_id = ${accountId}`);
    return [];
  }
  // the account's row first, then its mark: every path takes them in this order
  const row = await lockPrepaid(tx, tenantId, accountId);
  await tx.execute(sql`delete from prepaid_dirty where account_id = ${accountId}`);
  const balanceFen = await balanceOf(tx, accountId);
  const policy = await policyFor(tx, accountId);
  const calendar = await loadCalendar(tx, d.zone.dayOf(now));
  // every controllable meter of the account under the meter's own keep-power: nothing can be cut
  const [meters] = await tx.execute<{ held: boolean }>(sql`
    select coalesce(bool_and(keep_power), false) as held from meters
    where account_id = ${accountId} and status = 'installed' and control in ('relay', 'valve')`);
  const keepPower = row.keepPower || meters.held;
  const allowedAt = (at: number) => cutAllowedAt({ keepPower, policy, calendar, zone: d.zone }, at);
  const [acct] = await tx.execute<{ number: string }>(
    sql`select number from accounts where id = ${accountId}`,
  );
  let s = {
    state: row.state,
    seq: row.seq,
    cutDueAt: row.cutDueAt ? Date.parse(row.cutDueAt) : null,
    commandIds: row.commandIds,
    commandStatus: row.commandStatus,
    commandError: row.commandError,
    nextCheckAt: row.nextCheckAt ? Date.parse(row.nextCheckAt) : null,
    stateSince: row.stateSince ? Date.parse(row.stateSince) : now,
  };
  const recorded: MachineEvent[] = [];
  for (let guard = 0; guard < 8; guard++) {
    // a cut or reconnect with no controllable meter has nothing to wait for
    const outcome =
      s.commandIds.length === 0 && s.commandStatus === 'in_flight'
        ? 'confirmed'
        : await outcomeOf(tx, s.commandIds);
    const st = step({
      state: s.state,
      balanceFen,
      policy,
      cutDueAt: s.cutDueAt,
      commandStatus: s.commandStatus,
      outcome,
      now,
      allowedAt,
    });
    const changed =
      st.event !== null ||
      st.issue !== null ||
      st.cutDueAt !== s.cutDueAt ||
      st.commandStatus !== s.commandStatus;
    let commandIds = st.clearCommands ? [] : s.commandIds;
    let commandError = st.commandStatus === 'failed' ? s.commandError : null;
    if (st.commandStatus === 'failed' && s.commandStatus !== 'failed')
      commandError = await failureOf(tx, s.commandIds);
    let event = st.event;
    if (st.issue) {
      const issued = await issueSupply(tx, d.jobs, tenantId, accountId, st.issue, s.seq, 0);
      commandIds = issued.commandIds;
      if (issued.skipped.length && event)
        event = { ...event, detail: { ...event.detail, skipped: issued.skipped.length } };
    }
    let seq = s.seq;
    if (event) {
      seq += 1;
      const eventId = randomUUID();
      const key = event.notice ? `prepaid:${accountId}:${eventId}` : null;
      await tx.execute(sql`
        insert into prepaid_events (tenant_id, id, account_id, seq, kind, from_state, to_state, balance_fen, notice,
          notice_key, detail)
        values (${tenantId}, ${eventId}, ${accountId}, ${seq}, ${event.kind}, ${event.from}, ${event.to}, ${balanceFen},
          ${event.notice}, ${key}, ${JSON.stringify(event.detail)}::jsonb)`);
      if (event.notice && key) {
        const vars: Record<string, string> = {
          accountNumber: acct?.number ?? '',
          balance: yuan(balanceFen),
          state: event.to,
        };
        if (typeof event.detail.cutAt === 'string') vars.cutAt = event.detail.cutAt;
        await d.notify(tx, { key, event: event.notice, accountId, vars });
      }
      recorded.push(event);
    }
    s = {
      state: st.state,
      seq,
      cutDueAt: st.cutDueAt,
      commandIds,
      commandStatus: st.issue && commandIds.length === 0 ? 'in_flight' : st.commandStatus,
      commandError,
      nextCheckAt: st.nextCheckAt,
      stateSince: st.state !== s.state ? now : s.stateSince,
    };
    if (!changed) break;
  }
  await tx.execute(sql`
    update prepaid_accounts set state = ${s.state}, seq = ${s.seq},
      state_since = ${new Date(s.stateSince).toISOString()}::timestamptz,
      cut_due_at = ${s.cutDueAt === null ? null : new Date(s.cutDueAt).toISOString()}::timestamptz,
      command_ids = ${`{${s.commandIds.join(',')}}`}::uuid[], command_status = ${s.commandStatus},
      command_error = ${s.commandError},
      next_check_at = ${s.nextCheckAt === null ? null : new Date(s.nextCheckAt).toISOString()}::timestamptz,
      balance_fen = ${balanceFen}, evaluated_at = ${new Date(now).toISOString()}::timestamptz
    where account_id = ${accountId}`);
  return recorded;
}

export type { PrepaidRow };
