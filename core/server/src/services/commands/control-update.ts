import type { ControlUpdate } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { stateMatches } from './actions.ts';
import { kick } from './queue.ts';
import { retryLater, settle } from './settle.ts';

/** The event's instant as ISO text (a bad or missing one: now). */
function deliveredAt(at: string | undefined): string {
  const ms = at ? Date.parse(at) : Number.NaN;
  return new Date(Number.isFinite(ms) ? ms : Date.now()).toISOString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface UpdateDeps {
  db: Db;
  jobs: Jobs;
  backoffMs: number;
}

/**
 * A transport's later report on a command it answered `queued` (ctx.core.controlUpdate): the
 * command is found by id or platform reference among this plugin's commands still in flight.
 * `delivered` stamps it and keeps waiting for the state; `confirmed` with a state that contradicts
 * the action fails it; a retryable failure goes back to the queue while attempts remain.
 */
export async function applyControlUpdate(
  d: UpdateDeps,
  pluginId: string,
  tenantId: string,
  u: ControlUpdate,
): Promise<{ matched: boolean; changed: boolean }> {
  if (!UUID.test(tenantId)) return { matched: false, changed: false };
  if (u.commandId !== undefined && !UUID.test(u.commandId)) return { matched: false, changed: false };
  if (u.commandId === undefined && !u.platformRef) return { matched: false, changed: false };
  return await withTenant(d.db, tenantId, async (tx) => {
    const key = u.commandId ? sql`id = ${u.commandId}` : sql`platform_ref = ${u.platformRef ?? ''}`;
    const [cmd] = (await tx.execute(sql`
      select id::text as id, status, action, delivered_at as "deliveredAt" from meter_commands
      where ${key} and transport = ${pluginId} for update`)) as unknown as {
      id: string;
      status: string;
      action: Parameters<typeof stateMatches>[0];
      deliveredAt: Date | null;
    }[];
    if (!cmd) return { matched: false, changed: false };
    if (cmd.status !== 'sent') return { matched: true, changed: false };
    switch (u.status) {
      case 'delivered': {
        if (cmd.deliveredAt) return { matched: true, changed: false };
        await tx.execute(sql`update meter_commands set delivered_at = ${deliveredAt(u.at)}::timestamptz,
          detail = ${u.detail ?? 'delivered'}, updated_at = now() where id = ${cmd.id}`);
        return { matched: true, changed: true };
      }
      case 'confirmed':
      case 'unverified': {
        const match = stateMatches(cmd.action, u.state);
        const changed =
          match === false
            ? await settle(tx, cmd.id, {
                status: 'failed',
                code: 'STATE_MISMATCH',
                detail: u.detail ?? `the meter reports ${JSON.stringify(u.state)}`,
              })
            : await settle(tx, cmd.id, {
                status: 'confirmed',
                verified: u.status === 'confirmed' && match === true,
                state: u.state,
                detail: u.detail,
              });
        return { matched: true, changed };
      }
      case 'failed': {
        const failure = { code: u.error?.code ?? 'PLATFORM_FAILED', detail: u.error?.message ?? u.detail };
        if (u.error?.retryable) {
          const next = await retryLater(tx, cmd.id, failure, d.backoffMs);
          if (next) await kick(d.jobs, tenantId, 'platform retry', { tx, at: next });
          return { matched: true, changed: true };
        }
        return { matched: true, changed: await settle(tx, cmd.id, { status: 'failed', ...failure }) };
      }
    }
  });
}
