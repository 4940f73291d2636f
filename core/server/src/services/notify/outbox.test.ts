import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inDemo, tenantId } from '../../http/tests/archive-fixtures.ts';
import {
  deliveries,
  enqueue,
  type NotifyWorld,
  notifyWorld,
  outbox,
  recipient,
  setNotify,
  until,
} from './notify-fixtures.ts';
import { kickNotify } from './queue.ts';

let w: NotifyWorld;
beforeAll(async () => {
  w = await notifyWorld();
  await setNotify(w);
}, 120_000);
afterAll(async () => w?.stop());

const settled = (key: string) => async () => {
  const rows = await outbox(w, key);
  return rows.length > 0 && rows.every((r) => r.status === 'sent' || r.status === 'failed');
};

describe('the notify outbox against the SMS sandbox over loopback', () => {
  it('retries a transient failure (503, then a time-out) and then delivers once', async () => {
    const { accountId } = await recipient(w, 't1', { name: '李四' });
    w.sandbox.failNext('503');
    w.sandbox.failNext('timeout');
    expect(await enqueue(w, 'e2e-transient', accountId)).toBe(1);
    await until(settled('e2e-transient'));
    const [row] = await outbox(w, 'e2e-transient');
    expect(row).toMatchObject({
      messageId: 'e2e-transient:sms',
      status: 'sent',
      attempts: 3,
      recipient: '13800138000',
    });
    expect(row?.body).toContain('李四');
    expect(row?.body).toContain('18.50');
    const log = await deliveries(w, 'e2e-transient:sms');
    expect(log.map((d) => [d.attempt, d.outcome, d.errorCode])).toEqual([
      [1, 'retry', 'BUSY'],
      [2, 'retry', 'SMS_TIMEOUT'],
      [3, 'sent', null],
    ]);
    expect(log[2]?.providerId).toMatch(/^sbx-/);
    expect(row?.providerId).toBe(log[2]?.providerId);
    expect(w.sandbox.deliveries('e2e-transient:sms')).toBe(1);
    expect(w.sandbox.messages().find((m) => m.messageId === 'e2e-transient:sms')?.content).toBe(row?.body);
  });

  it('logs a permanent failure (bad number) once and never tries again', async () => {
    const { accountId } = await recipient(w, 't2');
    w.sandbox.failNext('bad-number');
    const refusedBefore = w.sandbox.answered()['400'] ?? 0;
    expect(await enqueue(w, 'e2e-permanent', accountId)).toBe(1);
    await until(settled('e2e-permanent'));
    // longer than the backoff: a retry would have happened by now
    await new Promise((r) => setTimeout(r, 2_500));
    const [row] = await outbox(w, 'e2e-permanent');
    expect(row).toMatchObject({ status: 'failed', attempts: 1, providerId: null });
    const log = await deliveries(w, 'e2e-permanent:sms');
    expect(log.map((d) => [d.attempt, d.outcome, d.errorCode])).toEqual([[1, 'failed', 'BAD_NUMBER']]);
    expect((w.sandbox.answered()['400'] ?? 0) - refusedBefore).toBe(1);
    expect(w.sandbox.deliveries('e2e-permanent:sms')).toBe(0);
  });

  it('gives up a transient failure after the tenant’s max attempts', async () => {
    await setNotify(w, { maxAttempts: 2 });
    try {
      const { accountId } = await recipient(w, 't3');
      w.sandbox.failNext('503', 5);
      expect(await enqueue(w, 'e2e-exhausted', accountId)).toBe(1);
      await until(settled('e2e-exhausted'));
      const log = await deliveries(w, 'e2e-exhausted:sms');
      expect(log.map((d) => [d.attempt, d.outcome, d.errorCode])).toEqual([
        [1, 'retry', 'BUSY'],
        [2, 'failed', 'BUSY'],
      ]);
      expect(w.sandbox.deliveries('e2e-exhausted:sms')).toBe(0);
    } finally {
      await setNotify(w);
      w.sandbox.clearFaults();
    }
  });

  it('never reaches the sandbox twice for one key: enqueued twice, or resent after a lost answer', async () => {
    const { accountId } = await recipient(w, 't4');
    expect(await enqueue(w, 'e2e-dup', accountId)).toBe(1);
    expect(await enqueue(w, 'e2e-dup', accountId)).toBe(0);
    await until(settled('e2e-dup'));
    expect(await outbox(w, 'e2e-dup')).toHaveLength(1);
    expect(w.sandbox.deliveries('e2e-dup:sms')).toBe(1);
    // the sender died after the gateway took it: the lease lapses and the notice goes out again
    // under the same message id, which the gateway dedupes
    const okBefore = w.sandbox.answered()['200'] ?? 0;
    await inDemo(w.p, (tx) =>
      tx.execute(sql`update notify_outbox set status = 'sending', lease_until = now() - interval '1 second',
        next_attempt_at = now() where message_id = 'e2e-dup:sms'`),
    );
    // what the minute tick does for a lapsed lease
    await kickNotify(await tenantId(w.p, 'demo'), { jobs: w.p.running.platform.jobs });
    await until(settled('e2e-dup'));
    expect((w.sandbox.answered()['200'] ?? 0) - okBefore).toBe(1);
    expect(w.sandbox.deliveries('e2e-dup:sms')).toBe(1);
    const log = await deliveries(w, 'e2e-dup:sms');
    expect(log.map((d) => d.outcome)).toEqual(['sent', 'duplicate']);
    expect(log[1]?.providerId).toBe(log[0]?.providerId);
  });

  it('holds a notice due in quiet hours until they end; an urgent event goes at once', async () => {
    const now = new Date();
    const local = (now.getUTCHours() * 60 + now.getUTCMinutes() + 480) % 1440; // Asia/Shanghai
    await setNotify(w, { quiet: [(local + 1380) % 1440, (local + 60) % 1440], urgent: ['cut-done'] });
    try {
      const { accountId } = await recipient(w, 't5');
      expect(await enqueue(w, 'e2e-quiet', accountId, 'overdraft')).toBe(1);
      expect(await enqueue(w, 'e2e-urgent', accountId, 'cut-done')).toBe(1);
      await until(settled('e2e-urgent'));
      const [held] = await outbox(w, 'e2e-quiet');
      expect(held?.status).toBe('queued');
      const wait = new Date(held?.nextAttemptAt ?? 0).getTime() - now.getTime();
      expect(wait).toBeGreaterThan(58 * 60_000);
      expect(wait).toBeLessThanOrEqual(61 * 60_000);
      expect(w.sandbox.deliveries('e2e-quiet:sms')).toBe(0);
      expect(w.sandbox.deliveries('e2e-urgent:sms')).toBe(1);
    } finally {
      await setNotify(w);
    }
  });

  it('queues one row per enabled channel the customer opted in to and has a contact for', async () => {
    await setNotify(w, { channels: ['sms', 'email', 'wechat'] });
    try {
      const both = await recipient(w, 't6', { name: '<b>赵</b>', email: 'zhao@example.cn' });
      expect(
        await enqueue(w, 'e2e-channels', both.accountId, 'payment-received', { amountYuan: '50.00' }),
      ).toBe(2);
      const rows = await outbox(w, 'e2e-channels');
      expect(rows.map((r) => [r.channel, r.recipient])).toEqual([
        ['sms', '13800138000'],
        ['email', 'zhao@example.cn'],
      ]);
      expect(rows[0]?.body).toContain('<b>赵</b>');
      expect(rows[1]?.body).toContain('&lt;b&gt;赵&lt;/b&gt;');
      expect(rows[1]?.subject).toMatch(/^【[^】]+】缴费成功$/);
      // a channel with no enabled notifier for the tenant is logged failed, not retried
      await until(settled('e2e-channels'));
      const email = await deliveries(w, 'e2e-channels:email');
      expect(email).toHaveLength(1);
      expect(email[0]?.outcome).toBe('failed');
      expect(['NOTIFY_NO_NOTIFIER', 'PLUGIN_DISABLED']).toContain(email[0]?.errorCode);
      const optedOut = await recipient(w, 't7', { email: 'x@example.cn' });
      await inDemo(w.p, (tx) =>
        tx.execute(sql`update customers set notify_channels = '{email}' where id = ${optedOut.customerId}`),
      );
      expect(await enqueue(w, 'e2e-optout', optedOut.accountId)).toBe(1);
      expect((await outbox(w, 'e2e-optout')).map((r) => r.channel)).toEqual(['email']);
      const none = await recipient(w, 't8', { phone: null });
      expect(await enqueue(w, 'e2e-nophone', none.accountId)).toBe(0);
    } finally {
      await setNotify(w);
    }
  });

  it('fails a notice whose channel’s notifier the tenant disabled, without calling it', async () => {
    const off = await w.admin.put('/api/v1/plugins/notifier-sms/tenant', { enabled: false });
    expect(off.status).toBe(200);
    try {
      const { accountId } = await recipient(w, 't9');
      const answeredBefore = w.sandbox.answered();
      expect(await enqueue(w, 'e2e-disabled', accountId)).toBe(1);
      await until(settled('e2e-disabled'));
      const log = await deliveries(w, 'e2e-disabled:sms');
      expect(log.map((d) => [d.attempt, d.outcome, d.errorCode])).toEqual([[1, 'failed', 'PLUGIN_DISABLED']]);
      expect(w.sandbox.answered()).toEqual(answeredBefore);
    } finally {
      expect((await w.admin.put('/api/v1/plugins/notifier-sms/tenant', { enabled: true })).status).toBe(200);
    }
  });

  it('refuses a bad key and drops NUL characters from values, without failing on them', async () => {
    const { accountId } = await recipient(w, 't11');
    await expect(enqueue(w, 'x'.repeat(181), accountId)).rejects.toMatchObject({ code: 'REQ_VALIDATION' });
    await expect(enqueue(w, '', accountId)).rejects.toMatchObject({ code: 'REQ_VALIDATION' });
    expect(await enqueue(w, 'e2e-nul', accountId, 'low-balance-1', { balanceYuan: '1\u00002.00' })).toBe(1);
    expect((await outbox(w, 'e2e-nul'))[0]?.body).toContain('余额为12.00元');
  });

  // last: the plugin stays stopped
  it('retries, without calling it, a notice whose notifier is installed but not running', async () => {
    await setNotify(w, { maxAttempts: 2 });
    await w.p.running.platform.pluginHost.stopPlugin('notifier-sms');
    const { accountId } = await recipient(w, 't10');
    const answeredBefore = w.sandbox.answered();
    expect(await enqueue(w, 'e2e-stopped', accountId)).toBe(1);
    await until(settled('e2e-stopped'));
    const log = await deliveries(w, 'e2e-stopped:sms');
    expect(log.map((d) => [d.attempt, d.outcome, d.errorCode])).toEqual([
      [1, 'retry', 'PLUGIN_UNAVAILABLE'],
      [2, 'failed', 'PLUGIN_UNAVAILABLE'],
    ]);
    expect(w.sandbox.answered()).toEqual(answeredBefore);
  });
});
