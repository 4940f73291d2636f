import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { concentratorsOnline, queueDepth, registry } from '../../metrics/registry.ts';
import type { Platform } from '../../platform.ts';
import type { AppEnv } from '../env.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares the presented bearer token in constant time (hashes, so lengths never leak). */
function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

/** Gauges read at scrape time: queue depths from pg-boss, concentrators with a live link. */
async function sample(p: Platform): Promise<void> {
  queueDepth.reset();
  for (const q of await p.jobs.boss.getQueues()) {
    queueDepth.set({ queue: q.name, state: 'ready' }, q.readyCount);
    queueDepth.set({ queue: q.name, state: 'deferred' }, q.deferredCount);
    queueDepth.set({ queue: q.name, state: 'active' }, q.activeCount);
  }
  // the device registry's policy lets the owning role read concentrators across tenants
  const [row] = await p.db.execute<{ n: number }>(
    sql`select count(*)::int as n from concentrators where online`,
  );
  concentratorsOnline.set(row?.n ?? 0);
}

/**
 * Prometheus metrics at /metrics for the platform operator, behind a bearer token
 * (QUADMETER_METRICS_TOKEN): counts across all tenants, labelled only by route patterns, plugins,
 * queues and outcomes. Without a token configured the endpoint does not exist (404).
 */
export function metricsRoutes(p: Platform) {
  const r = new Hono<AppEnv>();
  r.get('/metrics', async (c) => {
    const token = p.config.QUADMETER_METRICS_TOKEN;
    if (!token) throw new AppError('METRICS_DISABLED');
    if (!tokenMatches(c.req.header('authorization'), token)) throw new AppError('METRICS_TOKEN_INVALID');
    await sample(p).catch((err: unknown) =>
      (c.get('log') ?? p.logger).warn({ err }, 'metrics sample failed'),
    );
    return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
  });
  return r;
}
