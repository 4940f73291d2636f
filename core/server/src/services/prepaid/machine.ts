import type { NoticeEvent } from '../notify/events.ts';
import type { PrepaidPolicy, PrepaidState } from './policy-types.ts';

/** The notices the state machine sends are the notification outbox's events. */
export type { NoticeEvent };

/** How the account's cut or reconnect commands stand in the outbox. */
export type CommandOutcome = 'none' | 'pending' | 'confirmed' | 'failed';

export interface MachineInput {
  state: PrepaidState;
  balanceFen: number;
  policy: PrepaidPolicy;
  cutDueAt: number | null;
  commandStatus: 'none' | 'in_flight' | 'failed';
  outcome: CommandOutcome;
  now: number;
  /** when a cut due at `at` may happen (protection windows, keep-power) */
  allowedAt(at: number): number | 'never';
}

export interface MachineEvent {
  kind: string;
  from: PrepaidState;
  to: PrepaidState;
  notice: NoticeEvent | null;
  detail: Record<string, string | number | null>;
}

export interface MachineStep {
  state: PrepaidState;
  event: MachineEvent | null;
  /** send cut (trip / close valve) or reconnect (close relay / open valve) commands */
  issue: 'cut' | 'reconnect' | null;
  cutDueAt: number | null;
  commandStatus: 'none' | 'in_flight' | 'failed';
  /** forget the commands (they ended) */
  clearCommands: boolean;
  /** when time alone should re-evaluate the account; null: only a balance change or an operator */
  nextCheckAt: number | null;
}

type Level = 'normal' | 'alarm1' | 'alarm2' | 'overdraft' | 'exhausted';

/** Where the balance puts an account that is not cut. */
export function levelOf(balanceFen: number, p: PrepaidPolicy): Level {
  if (balanceFen >= p.alarm1Fen) return 'normal';
  if (balanceFen >= p.alarm2Fen) return 'alarm1';
  if (balanceFen >= 0) return 'alarm2';
  if (balanceFen > -p.overdraftLimitFen) return 'overdraft';
  return 'exhausted';
}

const RANK: Record<Exclude<Level, 'exhausted'>, number> = { normal: 0, alarm1: 1, alarm2: 2, overdraft: 3 };
const DOWN_NOTICE: Record<Exclude<Level, 'exhausted' | 'normal'>, NoticeEvent> = {
  alarm1: 'low-balance-1',
  alarm2: 'low-balance-2',
  overdraft: 'overdraft',
};
const POLL_MS = 60_000;

/**
 * One step of the prepaid state machine (decision 0031): from where the account stands, its balance
 * and its commands' outcome, the next state, the one event of the crossing (if any), and whether to
 * send commands. Pure; the caller applies steps until one changes nothing.
 */
export function step(i: MachineInput): MachineStep {
  const lv = levelOf(i.balanceFen, i.policy);
  const keep: MachineStep = {
    state: i.state,
    event: null,
    issue: null,
    cutDueAt: i.cutDueAt,
    commandStatus: i.commandStatus,
    clearCommands: false,
    nextCheckAt: i.cutDueAt,
  };
  const move = (to: PrepaidState, kind: string, notice: NoticeEvent | null, detail = {}): MachineStep => ({
    ...keep,
    state: to,
    event: { kind, from: i.state, to, notice, detail: { balanceFen: i.balanceFen, ...detail } },
  });
  const pendingCommands = i.commandStatus !== 'none';
  switch (i.state) {
    case 'normal':
    case 'alarm1':
    case 'alarm2':
    case 'overdraft': {
      if (lv === 'exhausted') {
        const allowed = i.allowedAt(i.now + i.policy.cutDelayMinutes * 60_000);
        const due = allowed === 'never' ? null : allowed;
        return {
          ...move('cut_pending', 'cut-warning', 'cut-warning', {
            cutAt: due === null ? null : new Date(due).toISOString(),
          }),
          cutDueAt: due,
          nextCheckAt: due,
        };
      }
      if (lv === i.state) return { ...keep, cutDueAt: null, nextCheckAt: null };
      const down = RANK[lv] > RANK[i.state];
      return {
        ...(down ? move(lv, lv, DOWN_NOTICE[lv as keyof typeof DOWN_NOTICE]) : move(lv, 'recovered', null)),
        cutDueAt: null,
        nextCheckAt: null,
      };
    }
    case 'cut_pending': {
      if (pendingCommands) {
        if (i.outcome === 'confirmed')
          return {
            ...move('cut', 'cut-done', 'cut-done'),
            commandStatus: 'none',
            clearCommands: true,
            cutDueAt: null,
            nextCheckAt: null,
          };
        if (i.outcome === 'failed' && i.commandStatus !== 'failed')
          return { ...move('cut_pending', 'cut-failed', null), commandStatus: 'failed', nextCheckAt: null };
        if (i.outcome === 'pending') return { ...keep, nextCheckAt: i.now + POLL_MS };
        return { ...keep, nextCheckAt: null };
      }
      if (lv !== 'exhausted') return { ...move(lv, 'recovered', null), cutDueAt: null, nextCheckAt: null };
      if (i.cutDueAt !== null && i.now < i.cutDueAt) return keep;
      const allowed = i.allowedAt(i.now);
      if (allowed === 'never') {
        if (i.cutDueAt === null) return { ...keep, nextCheckAt: null };
        return {
          ...move('cut_pending', 'cut-deferred', null, { until: null }),
          cutDueAt: null,
          nextCheckAt: null,
        };
      }
      if (allowed > i.now)
        return {
          ...move('cut_pending', 'cut-deferred', null, { until: new Date(allowed).toISOString() }),
          cutDueAt: allowed,
          nextCheckAt: allowed,
        };
      return { ...keep, issue: 'cut', commandStatus: 'in_flight', nextCheckAt: i.now + POLL_MS };
    }
    case 'cut': {
      if (i.balanceFen >= i.policy.reconnectThresholdFen)
        return {
          ...move('reconnect_pending', 'reconnect-pending', null),
          issue: 'reconnect',
          commandStatus: 'in_flight',
          cutDueAt: null,
          nextCheckAt: i.now + POLL_MS,
        };
      return { ...keep, cutDueAt: null, nextCheckAt: null };
    }
    case 'reconnect_pending': {
      if (i.outcome === 'confirmed' || !pendingCommands) {
        const to = lv === 'exhausted' ? 'overdraft' : lv;
        return {
          ...move(to, 'reconnected', 'reconnected'),
          commandStatus: 'none',
          clearCommands: true,
          cutDueAt: null,
          nextCheckAt: null,
        };
      }
      if (i.outcome === 'failed' && i.commandStatus !== 'failed')
        return {
          ...move('reconnect_pending', 'reconnect-failed', null),
          commandStatus: 'failed',
          nextCheckAt: null,
        };
      if (i.outcome === 'pending') return { ...keep, nextCheckAt: i.now + POLL_MS };
      return { ...keep, nextCheckAt: null };
    }
  }
}
