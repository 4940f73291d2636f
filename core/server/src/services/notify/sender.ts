import type { NotifierPlugin } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Logger } from '../../logger.ts';
import { notifyDeliveries } from '../../metrics/registry.ts';
import type { Registry } from '../../registry/index.ts';
import { isNoticeEvent } from './events.ts';
import { kickNotify, NOTIFY_QUEUE, NOTIFY_TICK_QUEUE, setNotifyJobs } from './queue.ts';
import { releaseTime } from './quiet-hours.ts';
import { type NotifySettings, notifySettings } from './settings.ts';

export interface NotifySenderDeps {
  db: Db;
  jobs: Jobs;
  registry: Registry;
  logger: Logger;
  timeZone: string;
  /** a claimed notice is retaken after this long if its sender died (ms) */
  leaseMs?: number;
  /** false: no minute tick (tests call `tick`) */
  cron?: boolean;
}

export interface NotifySender {
  /** sends the tenant's due notices; answers how many were tried */
  pump(tenantId: string): Promise<number>;
  /** wakes every tenant with due notices */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  messageId: string;
  accountId: string;
  event: string;
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  vars: Record<string, string>;
  attempts: number;
}

type Outcome =
  | { kind: 'sent'; providerId?: string; duplicate: boolean }
  | { kind: 'retry' | 'failed'; code: string; message: string }
  | { kind: 'wait'; until: Date };

const MAX_BACKOFF_MS = 3_600_000;

export const errorCode = (err: unknown): string => {
  if (err && typeof err === 'object') {
    const o = err as { code?: unknown; status?: unknown; name?: unknown };
    if (typeof o.code === 'string' && o.code) return o.code.slice(0, 64);
    if (typeof o.status === 'number') return `HTTP_${o.status}`;
    if (typeof o.name === 'string' && o.name) return o.name.slice(0, 64);
  }
  return 'UNKNOWN';
};
const errorMessage = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).slice(0, 500);

/**
 * The notify outbox's sender (decision 0029): a pg-boss job per tenant claims due notices under a
 * lease, sends each through the notifier plugin of its channel (looked up in the registry, enabled
 * for the tenant), and writes the outcome and a delivery-log row per attempt. A failure the plugin
 * classifies 'retry' is tried again with doubling backoff up to the tenant's max attempts; 'drop'
 * fails the notice at once. A notice whose sender died is retaken when its lease lapses and sent
 * again under the same message id, which the notifier and its provider dedupe.
 */
export async function startNotifySender(d: NotifySenderDeps): Promise<NotifySender> {
  const leaseMs = d.leaseMs ?? 120_000;
  const stopping = new AbortController();

  const claim = (tenantId: string) =>
    withTenant(d.db, tenantId, async (tx) => {
      return (await tx.execute(sql`update notify_outbox o set status = 'sending', attempts = o.attempts + 1,
          lease_until = now() + ${`${leaseMs} milliseconds`}::interval
        where (o.tenant_id, o.id) in (select tenant_id, id from notify_outbox
          where status in ('queued', 'sending') and next_attempt_at <= now()
            and (status = 'queued' or lease_until < now())
          order by next_attempt_at, id limit 20 for update skip locked)
        returning o.id::text as id, o.message_id as "messageId", o.account_id::text as "accountId", o.event,
          o.channel, o.recipient, o.subject, o.body, o.vars, o.attempts`)) as unknown as Claimed[];
    });

  const notifierFor = async (tenantId: string, channel: string) => {
    // installed, whatever its status: one that failed to start or was stopped is retried later
    // (PLUGIN_UNAVAILABLE below), only a channel nothing serves is dropped
    const plugin = d.registry
      .list()
      .filter((i) => i.kind === 'notifier')
      .map((i) => d.registry.get(i.id) as NotifierPlugin<unknown, unknown> | undefined)
      .find((p) => p?.channel === channel);
    if (!plugin) return undefined;
    const enabled = await withTenant(d.db, tenantId, (tx) =>
      tx.execute(sql`select 1 from plugin_settings where plugin_id = ${plugin.id} and enabled`),
    );
    return { plugin, enabled: (enabled as unknown[]).length > 0 };
  };

  const attempt = async (tenantId: string, c: Claimed, s: NotifySettings): Promise<Outcome> => {
    if (isNoticeEvent(c.event)) {
      const until = releaseTime(new Date(), c.event, s);
      if (until.getTime() > Date.now()) return { kind: 'wait', until };
    }
    const found = await notifierFor(tenantId, c.channel);
    if (!found)
      return { kind: 'failed', code: 'NOTIFY_NO_NOTIFIER', message: `no notifier for ${c.channel}` };
    if (!found.enabled)
      return { kind: 'failed', code: 'PLUGIN_DISABLED', message: `${found.plugin.id} is not enabled` };
    const ctx = d.registry.context(found.plugin.id);
    if (!ctx)
      return { kind: 'retry', code: 'PLUGIN_UNAVAILABLE', message: `${found.plugin.id} is not running` };
    const plugin = found.plugin as NotifierPlugin<unknown, unknown>;
    try {
      const r = await plugin.send(
        {
          id: c.messageId,
          tenantId,
          to: c.recipient,
          template: c.event,
          ...(c.subject ? { subject: c.subject } : {}),
          body: c.body,
          data: c.vars,
          locale: 'zh-CN',
        },
        ctx,
      );
      return { kind: 'sent', providerId: r.providerId, duplicate: r.duplicate === true };
    } catch (err) {
      let disposition: 'retry' | 'drop';
      try {
        disposition = plugin.classify(err) === 'drop' ? 'drop' : 'retry';
      } catch {
        disposition = 'retry';
      }
      return {
        kind: disposition === 'drop' ? 'failed' : 'retry',
        code: errorCode(err),
        message: errorMessage(err),
      };
    }
  };

  const record = async (tenantId: string, c: Claimed, o: Outcome, s: NotifySettings) => {
    let retryAt: Date | undefined;
    let delivered: string | undefined;
    await withTenant(d.db, tenantId, async (tx) => {
      if (o.kind === 'wait') {
        await tx.execute(sql`update notify_outbox set status = 'queued', attempts = attempts - 1,
          lease_until = null, next_attempt_at = ${o.until.toISOString()} where id = ${c.id}`);
        retryAt = o.until;
        return;
      }
      let outcome: 'sent' | 'duplicate' | 'retry' | 'failed' =
        o.kind === 'sent' ? (o.duplicate ? 'duplicate' : 'sent') : o.kind;
      if (o.kind === 'sent') {
        await tx.execute(sql`update notify_outbox set status = 'sent', lease_until = null, finished_at = now(),
          provider_id = ${o.providerId ?? null}, last_error = null where id = ${c.id}`);
      } else if (o.kind === 'retry' && c.attempts < s.maxAttempts) {
        const delay = Math.min(MAX_BACKOFF_MS, s.backoffSeconds * 1000 * 2 ** (c.attempts - 1));
        retryAt = new Date(Date.now() + delay);
        await tx.execute(sql`update notify_outbox set status = 'queued', lease_until = null,
          next_attempt_at = ${retryAt.toISOString()}, last_error = ${`${o.code}: ${o.message}`} where id = ${c.id}`);
      } else {
        outcome = 'failed';
        await tx.execute(sql`update notify_outbox set status = 'failed', lease_until = null, finished_at = now(),
          last_error = ${`${o.code}: ${o.message}`} where id = ${c.id}`);
      }
      await tx.execute(sql`insert into notify_deliveries (tenant_id, outbox_id, account_id, event, channel, attempt,
          outcome, provider_id, error_code, error_message)
        values (${tenantId}, ${c.id}, ${c.accountId}, ${c.event}, ${c.channel}, ${c.attempts}, ${outcome},
          ${o.kind === 'sent' ? (o.providerId ?? null) : null}, ${o.kind === 'sent' ? null : o.code},
          ${o.kind === 'sent' ? null : o.message})`);
      delivered = outcome;
    });
    if (delivered) notifyDeliveries.inc({ channel: c.channel, outcome: delivered });
    if (retryAt) await kickNotify(tenantId, { at: retryAt, jobs: d.jobs });
  };

  const pump = async (tenantId: string): Promise<number> => {
    let done = 0;
    while (!stopping.signal.aborted) {
      const batch = await claim(tenantId);
      if (batch.length === 0) break;
      const s = await withTenant(d.db, tenantId, (tx) => notifySettings(tx));
      await Promise.all(
        batch.map(async (c) => {
          try {
            await record(tenantId, c, await attempt(tenantId, c, s), s);
          } catch (err) {
            // the lease lapses and a later pump sends it again under the same message id
            d.logger.error({ err, tenantId, notice: c.messageId }, 'recording a notice outcome failed');
          }
          done++;
        }),
      );
    }
    return done;
  };

  const tick = async () => {
    const tenants = (await withSystem(d.db, (tx) =>
      tx.execute(sql`select id::text as id from tenants where status = 'active'`),
    )) as unknown as { id: string }[];
    for (const t of tenants) {
      const [due] = (await withTenant(d.db, t.id, (tx) =>
        tx.execute(sql`select 1 from notify_outbox where status in ('queued', 'sending')
          and next_attempt_at <= now() and (status = 'queued' or lease_until < now()) limit 1`),
      )) as unknown[];
      if (due) await kickNotify(t.id, { jobs: d.jobs });
    }
  };

  await d.jobs.work(NOTIFY_QUEUE, async (job) => void (await pump(job.tenantId)), {
    batchSize: 1,
    concurrency: 2,
    pollingIntervalSeconds: 0.5,
  });
  setNotifyJobs(d.jobs);
  if (d.cron !== false) {
    await d.jobs.ensureQueue(NOTIFY_TICK_QUEUE);
    await d.jobs.boss.schedule(NOTIFY_TICK_QUEUE, '* * * * *', {}, { tz: d.timeZone });
    await d.jobs.work(NOTIFY_TICK_QUEUE, tick);
    await tick().catch((err) => d.logger.error({ err }, 'notify tick failed on start'));
  }
  return {
    pump,
    tick,
    async stop() {
      stopping.abort();
      setNotifyJobs(undefined);
      await d.jobs.offWork(NOTIFY_QUEUE);
      if (d.cron !== false) await d.jobs.offWork(NOTIFY_TICK_QUEUE);
    },
  };
}
