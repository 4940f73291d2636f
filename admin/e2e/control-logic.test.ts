import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick } from 'vue';
import type { Command } from '../src/api/control.ts';
import { type NextPage, useLiveList } from '../src/composables/use-live-list.ts';
import { actionFits, actionsFor, batchOpen, isOpen, statusKey, statusTag } from '../src/views/control/control-labels.ts';
import { newOptions, optionsBody, prepaidFen } from '../src/views/control/command-options.ts';

// The remote-control pages' helpers: which actions a meter takes, how a status reads, what a
// command body carries, and the live list that polls while a command is open.

describe('actions by control type', () => {
  it('offers valve actions to valve meters, relay actions and prepaid parameters to relay meters', () => {
    expect(actionsFor('valve')).toEqual([
      'valve-open',
      'valve-close',
      'keep-power',
      'keep-power-clear',
      'alarm-on',
      'alarm-off',
      'freeze',
      'time-sync',
    ]);
    expect(actionsFor('relay')).toContain('prepaid-params');
    expect(actionsFor('relay').some((a) => a.startsWith('valve-'))).toBe(false);
    expect(actionsFor('none').some((a) => a.startsWith('valve-') || a.startsWith('relay-'))).toBe(false);
    expect(actionFits('relay-trip', 'valve')).toBe(false);
  });
});

describe('command status', () => {
  it('says acknowledged-unverified for a confirmed command whose state was not read back', () => {
    expect(statusKey({ status: 'confirmed', verified: false })).toBe('control.statuses.confirmedUnverified');
    expect(statusKey({ status: 'confirmed', verified: true })).toBe('control.statuses.confirmed');
    expect(statusTag({ status: 'confirmed', verified: false })).toBe('warning');
    expect(statusTag({ status: 'expired', verified: null })).toBe('danger');
    expect(['queued', 'sent', 'confirmed', 'failed'].map((s) => isOpen({ status: s as Command['status'] }))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const progress = { queued: 0, sent: 0, confirmed: 3, failed: 0, expired: 0, cancelled: 0 };
    expect(batchOpen({ status: 'released', progress })).toBe(false);
    expect(batchOpen({ status: 'released', progress: { ...progress, sent: 1 } })).toBe(true);
    expect(batchOpen({ status: 'pending_approval', progress: { ...progress, queued: 1 } })).toBe(false);
  });
});

describe('command body', () => {
  it('sends prepaid thresholds typed in yuan as integer fen and names the bad ones', () => {
    const o = newOptions();
    Object.assign(o.params, { alarm1: '20', alarm2: '5.5', overdraft: '0.01', hoarding: '', closePermit: '1.234' });
    expect(prepaidFen(o.params)).toEqual({ params: { alarm1: 2000, alarm2: 550, overdraft: 1 }, bad: ['closePermit'] });
    o.params.closePermit = '10';
    expect(optionsBody('prepaid-params', o, false)).toEqual({
      priority: 5,
      params: { alarm1: 2000, alarm2: 550, overdraft: 1, closePermit: 1000 },
    });
  });

  it('carries the override only on a cut and only with the permission', () => {
    const o = { ...newOptions(), override: true, expiresInMinutes: 30 };
    expect(optionsBody('valve-close', o, true)).toEqual({ priority: 5, expiresInMinutes: 30, override: true });
    expect(optionsBody('valve-close', o, false)).toEqual({ priority: 5, expiresInMinutes: 30 });
    expect(optionsBody('valve-open', o, true)).toEqual({ priority: 5, expiresInMinutes: 30 });
  });
});

describe('useLiveList', () => {
  afterEach(() => vi.useRealTimers());
  const row = (id: string, status: Command['status']) => ({ id, status });

  it('polls every interval while a row is open, stops once none is, and stops when its scope ends', async () => {
    vi.useFakeTimers();
    const pages: NextPage<{ id: string; status: Command['status'] }>[] = [
      { items: [row('a', 'queued'), row('b', 'confirmed')], next: null },
      { items: [row('a', 'sent'), row('b', 'confirmed')], next: null },
      { items: [row('a', 'confirmed'), row('b', 'confirmed')], next: null },
    ];
    const fetch = vi.fn(async (_q: { limit: number; after?: string }) => pages[Math.min(fetch.mock.calls.length - 1, 2)]);
    const scope = effectScope();
    const list = scope.run(() => useLiveList(fetch, isOpen, { pageSize: 10, intervalMs: 2000 }))!;
    await list.load();
    expect(list.rows.value.map((r) => r.status)).toEqual(['queued', 'confirmed']);
    expect(list.live.value).toBe(true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(list.rows.value[0].status).toBe('sent');
    await vi.advanceTimersByTimeAsync(2000);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(list.rows.value[0].status).toBe('confirmed');
    expect(list.live.value).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch).toHaveBeenCalledTimes(3);

    // open again, then the page is left: no request after that
    pages[2] = { items: [row('c', 'queued')], next: null };
    await list.load();
    expect(list.live.value).toBe(true);
    scope.stop();
    await nextTick();
    const calls = fetch.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch).toHaveBeenCalledTimes(calls);
    expect(list.live.value).toBe(false);
  });

  it('appends the next page by cursor without repeating rows', async () => {
    const fetch = vi.fn(async (q: { limit: number; after?: string }) =>
      q.after
        ? { items: [row('b', 'failed'), row('c', 'failed')], next: null }
        : { items: [row('a', 'failed'), row('b', 'failed')], next: 'k1' },
    );
    const scope = effectScope();
    const list = scope.run(() => useLiveList(fetch, isOpen, { pageSize: 2 }))!;
    await list.load();
    await list.load(true);
    expect(fetch.mock.calls.map(([q]) => q)).toEqual([{ limit: 2 }, { limit: 2, after: 'k1' }]);
    expect(list.rows.value.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(list.next.value).toBeNull();
    expect(list.live.value).toBe(false);
    scope.stop();
  });
});
