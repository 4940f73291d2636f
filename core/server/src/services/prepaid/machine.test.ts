import { describe, expect, it } from 'vitest';
import { levelOf, type MachineInput, step } from './machine.ts';
import { BUILTIN_POLICY, type PrepaidPolicy } from './policy-types.ts';

const policy: PrepaidPolicy = {
  ...BUILTIN_POLICY,
  alarm1Fen: 5000,
  alarm2Fen: 2000,
  overdraftLimitFen: 1000,
  reconnectThresholdFen: 3000,
  cutDelayMinutes: 30,
};
const NOW = Date.parse('2026-12-02T02:00:00Z');
const base = (o: Partial<MachineInput>): MachineInput => ({
  state: 'normal',
  balanceFen: 10_000,
  policy,
  cutDueAt: null,
  commandStatus: 'none',
  outcome: 'none',
  now: NOW,
  allowedAt: (at) => at,
  ...o,
});

describe('prepaid state machine steps', () => {
  it('places balances on the levels, thresholds inclusive', () => {
    expect([5000, 4999, 2000, 1999, 0, -1, -999, -1000].map((b) => levelOf(b, policy))).toEqual([
      'normal',
      'alarm1',
      'alarm1',
      'alarm2',
      'alarm2',
      'overdraft',
      'overdraft',
      'exhausted',
    ]);
    expect(levelOf(-1, { ...policy, overdraftLimitFen: 0 })).toBe('exhausted');
  });

  it('a fall over several levels records only the target level, with its notice', () => {
    const s = step(base({ balanceFen: 100 }));
    expect(s).toMatchObject({
      state: 'alarm2',
      event: { kind: 'alarm2', notice: 'low-balance-2', from: 'normal' },
    });
  });

  it('a rise records recovered without a notice; no change records nothing', () => {
    expect(step(base({ state: 'alarm2', balanceFen: 4000 })).event).toMatchObject({
      kind: 'recovered',
      notice: null,
    });
    expect(step(base({ state: 'alarm1', balanceFen: 4000 }))).toMatchObject({ event: null, issue: null });
  });

  it('exhaustion warns once and schedules the cut after the delay, moved by the protection', () => {
    const s = step(base({ state: 'overdraft', balanceFen: -1000, allowedAt: (at) => at + 3_600_000 }));
    expect(s.state).toBe('cut_pending');
    expect(s.event).toMatchObject({ kind: 'cut-warning', notice: 'cut-warning' });
    expect(s.cutDueAt).toBe(NOW + 30 * 60_000 + 3_600_000);
    expect(s.issue).toBeNull();
  });

  it('keep-power: the warning names no time, and the cut never goes out', () => {
    const never = () => 'never' as const;
    const warned = step(base({ balanceFen: -5000, allowedAt: never }));
    expect(warned).toMatchObject({ state: 'cut_pending', cutDueAt: null, nextCheckAt: null });
    const later = step(
      base({ state: 'cut_pending', balanceFen: -5000, now: NOW + 86_400_000, allowedAt: never }),
    );
    expect(later).toMatchObject({ issue: null, event: null, state: 'cut_pending' });
  });

  it('sends the cut when due and only advances on confirmation; a failure is recorded once', () => {
    const due = step(base({ state: 'cut_pending', balanceFen: -5000, cutDueAt: NOW }));
    expect(due).toMatchObject({ issue: 'cut', commandStatus: 'in_flight', event: null });
    const waiting = step(
      base({ state: 'cut_pending', balanceFen: -5000, commandStatus: 'in_flight', outcome: 'pending' }),
    );
    expect(waiting).toMatchObject({ state: 'cut_pending', event: null, issue: null });
    const failed = step(
      base({ state: 'cut_pending', balanceFen: -5000, commandStatus: 'in_flight', outcome: 'failed' }),
    );
    expect(failed).toMatchObject({ commandStatus: 'failed', event: { kind: 'cut-failed', notice: null } });
    const again = step(
      base({ state: 'cut_pending', balanceFen: -5000, commandStatus: 'failed', outcome: 'failed' }),
    );
    expect(again.event).toBeNull();
    const done = step(
      base({ state: 'cut_pending', balanceFen: -5000, commandStatus: 'in_flight', outcome: 'confirmed' }),
    );
    expect(done).toMatchObject({ state: 'cut', event: { notice: 'cut-done' }, clearCommands: true });
  });

  it('a payment before the cut goes out cancels it; after a cut only the threshold reconnects', () => {
    expect(step(base({ state: 'cut_pending', balanceFen: -500, cutDueAt: NOW + 1 }))).toMatchObject({
      state: 'overdraft',
      cutDueAt: null,
    });
    expect(step(base({ state: 'cut', balanceFen: 2999 }))).toMatchObject({
      state: 'cut',
      issue: null,
      event: null,
    });
    expect(step(base({ state: 'cut', balanceFen: 3000 }))).toMatchObject({
      state: 'reconnect_pending',
      issue: 'reconnect',
    });
    expect(
      step(
        base({
          state: 'reconnect_pending',
          balanceFen: 3000,
          commandStatus: 'in_flight',
          outcome: 'confirmed',
        }),
      ),
    ).toMatchObject({ state: 'alarm1', event: { kind: 'reconnected', notice: 'reconnected' } });
  });

  it('a cut due inside a window is deferred to its end, once', () => {
    const end = NOW + 7_200_000;
    const s = step(base({ state: 'cut_pending', balanceFen: -5000, cutDueAt: NOW, allowedAt: () => end }));
    expect(s).toMatchObject({
      cutDueAt: end,
      nextCheckAt: end,
      issue: null,
      event: { kind: 'cut-deferred' },
    });
    expect(
      step(base({ state: 'cut_pending', balanceFen: -5000, cutDueAt: end, allowedAt: () => end })).event,
    ).toBeNull();
  });
});
