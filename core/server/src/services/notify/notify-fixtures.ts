import { type SmsSandbox, startSmsSandbox } from '@quadmeter/notifier-sms/sandbox';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { demoAreas, inDemo } from '../../http/tests/archive-fixtures.ts';
import { enqueueNotice, type NoticeEvent } from './enqueue.ts';

export const SMS_ACCOUNT = { appKey: 'qm-test', appSecret: 'sandbox-secret-9' };

export interface NotifyWorld {
  p: TestPlatform;
  admin: Client;
  sandbox: SmsSandbox;
  areaA: string;
  areaB: string;
  stop(): Promise<void>;
}

/** The platform with notifier-sms pointed at a loopback sandbox gateway, enabled for the demo tenant. */
export async function notifyWorld(): Promise<NotifyWorld> {
  const sandbox = await startSmsSandbox({ ...SMS_ACCOUNT, hangMs: 1_500 });
  const p = await startTestPlatform({
    QUADMETER_PLUGIN_NOTIFIER_SMS: JSON.stringify({
      ...SMS_ACCOUNT,
      endpoint: sandbox.url,
      signName: '示范水务',
      timeoutMs: 300,
    }),
  });
  const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const on = await admin.put('/api/v1/plugins/notifier-sms/tenant', { enabled: true });
  expect(on.status, JSON.stringify(on.body)).toBe(200);
  const areas = await demoAreas(admin);
  return {
    p,
    admin,
    sandbox,
    areaA: areas.阳光花园小区.id,
    areaB: areas.幸福里小区.id,
    async stop() {
      await p.stop();
      await sandbox.close();
    },
  };
}

/** A customer with the given contacts and an account, in `areaId`. */
export async function recipient(
  w: NotifyWorld,
  n: string,
  c: { phone?: string | null; email?: string | null; name?: string; areaId?: string } = {},
): Promise<{ customerId: string; accountId: string }> {
  const made = await w.admin.post('/api/v1/customers', {
    name: c.name ?? `通知户${n}`,
    number: `NC-${n}`,
    areaId: c.areaId ?? w.areaA,
    phone: c.phone === undefined ? '13800138000' : c.phone,
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const a = await w.admin.post('/api/v1/accounts', { customerId: made.body.id, number: `NA-${n}` });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  if (c.email !== undefined)
    await inDemo(w.p, (tx) =>
      tx.execute(sql`update customers set email = ${c.email} where id = ${made.body.id}`),
    );
  return { customerId: made.body.id, accountId: a.body.id };
}

/** Quiet hours off, quick retries: what most tests want. */
export async function setNotify(
  w: NotifyWorld,
  s: { channels?: string[]; quiet?: [number, number]; urgent?: string[]; maxAttempts?: number } = {},
) {
  const channels = `{${(s.channels ?? ['sms']).join(',')}}`;
  const urgent = `{${(s.urgent ?? []).join(',')}}`;
  const [qs, qe] = s.quiet ?? [0, 0];
  await inDemo(w.p, (tx) =>
    tx.execute(sql`insert into notify_settings (tenant_id, channels, quiet_start, quiet_end, urgent_events,
        max_attempts, backoff_seconds)
      values (app_tenant_id(), ${channels}::text[], ${qs}, ${qe}, ${urgent}::text[], ${s.maxAttempts ?? 4}, 1)
      on conflict (tenant_id) do update set channels = excluded.channels, quiet_start = excluded.quiet_start,
        quiet_end = excluded.quiet_end, urgent_events = excluded.urgent_events,
        max_attempts = excluded.max_attempts, backoff_seconds = 1`),
  );
}

export async function enqueue(
  w: NotifyWorld,
  key: string,
  accountId: string,
  event: NoticeEvent = 'low-balance-1',
  vars: Record<string, string> = { balanceYuan: '18.50', thresholdYuan: '20.00' },
): Promise<number> {
  return await inDemo(w.p, (tx) => enqueueNotice(tx, { key, event, accountId, vars }));
}

export interface OutboxRow {
  id: string;
  messageId: string;
  channel: string;
  status: string;
  attempts: number;
  recipient: string;
  subject: string;
  body: string;
  providerId: string | null;
  nextAttemptAt: string;
}

export async function outbox(w: NotifyWorld, keyPrefix: string): Promise<OutboxRow[]> {
  return (await inDemo(w.p, (tx) =>
    tx.execute(sql`select id::text as id, message_id as "messageId", channel, status, attempts, recipient,
        subject, body, provider_id as "providerId", next_attempt_at::text as "nextAttemptAt"
      from notify_outbox where message_id like ${`${keyPrefix}:%`} order by id`),
  )) as unknown as OutboxRow[];
}

export async function deliveries(w: NotifyWorld, messageId: string) {
  return (await inDemo(w.p, (tx) =>
    tx.execute(sql`select d.attempt, d.outcome, d.channel, d.event, d.provider_id as "providerId",
        d.error_code as "errorCode"
      from notify_deliveries d join notify_outbox o on o.tenant_id = d.tenant_id and o.id = d.outbox_id
      where o.message_id = ${messageId} order by d.id`),
  )) as unknown as {
    attempt: number;
    outcome: string;
    providerId: string | null;
    errorCode: string | null;
  }[];
}

/** Polls until `check` answers true (the pg-boss sender works on its own schedule). */
export async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting for the notify outbox');
    await new Promise((r) => setTimeout(r, 150));
  }
}
