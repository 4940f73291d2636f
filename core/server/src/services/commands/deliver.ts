import type { ControlAction, ControlCommand, ControlResult, ControlState, RawReading } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Logger } from '../../logger.ts';
import type { Registry } from '../../registry/index.ts';
import type { Held, LeaseKeeper } from '../gateway/lease-keeper.ts';
import { fence } from '../gateway/leases.ts';
import { lineResource } from '../reading-tasks/read-line.ts';
import { type IngestDeps, ingestReadings } from '../readings/ingest.ts';
import { EXPECTED, stateMatches } from './actions.ts';
import { type Reach, reachMeter } from './resolve.ts';
import { retryLater, settle } from './settle.ts';

/** A command claimed by this process: status `sent`, its lease held. */
export interface Claimed {
  id: string;
  meterId: string;
  action: ControlAction;
  params: Record<string, unknown>;
  expiresAt: string;
  attempts: number;
  /** it was in flight when its sender died: read the meter back before sending it again */
  inDoubt: boolean;
  expired: boolean;
}

export interface DeliverDeps {
  db: Db;
  registry: Registry;
  ingest: IngestDeps;
  logger: Logger;
  backoffMs: number;
  signal: AbortSignal;
  /** a retry was scheduled for `at` */
  onRetry(at: Date): void;
  /** the node's gateway leases: a poll meter's line is held while the command goes out */
  leases?: LeaseKeeper;
}

/** The state a reading's registers show (the meter types' `valve` and `relay` state registers). */
export function stateOfReading(r: Pick<RawReading, 'registers'>): ControlState | undefined {
  const s: ControlState = {};
  const valve = r.registers.valve;
  const relay = r.registers.relay;
  if (valve === 'open' || valve === 'closed' || valve === 'abnormal') s.valve = valve;
  if (relay === 'open' || relay === 'closed') s.relay = relay;
  return Object.keys(s).length > 0 ? s : undefined;
}

/**
 * Reads a poll meter now (real-time) and stores the reading; answers the state it shows. Used
 * before sending again a command whose sender died mid-flight: a command already applied is
 * confirmed by this read-back instead of being sent twice.
 */
async function readBack(
  d: DeliverDeps,
  tenantId: string,
  reach: Extract<Reach, { kind: 'poll' }>,
  held: Held | null,
) {
  const ctx = d.registry.context(reach.transport.id);
  if (!ctx) return undefined;
  for await (const r of reach.transport.read(
    { tenantId, line: reach.line, meters: [reach.target], signal: d.signal, kind: 'realtime' },
    ctx,
  )) {
    if (!r.ok) return undefined;
    await ingestReadings(
      d.ingest,
      reach.transport.id,
      [{ ...r.reading, tenantId }],
      held ? (tx) => fence(tx, held.lease) : undefined,
    );
    return stateOfReading(r.reading);
  }
  return undefined;
}

async function record(
  d: DeliverDeps,
  tenantId: string,
  c: Claimed,
  result: ControlResult,
  held: Held | null = null,
): Promise<void> {
  await withTenant(d.db, tenantId, async (tx) => {
    // settled only while this node still holds the line: a stale token rolls the outcome back,
    // the command stays sent and the next owner reads it back (in doubt) before sending again
    if (held) await fence(tx, held.lease);
    if (!result.ok) {
      const failure = { code: result.error.code, detail: result.error.message };
      if (!result.error.retryable) {
        await settle(tx, c.id, { status: 'failed', ...failure });
        return;
      }
      const next = await retryLater(tx, c.id, failure, d.backoffMs);
      if (next) d.onRetry(next);
      return;
    }
    if (result.status === 'queued') {
      await tx.execute(sql`update meter_commands set awaiting = true, lease_owner = null, lease_until = null,
        platform_ref = ${result.platformRef ?? null}, detail = ${result.detail ?? 'queued at the platform'},
        updated_at = now() where id = ${c.id} and status = 'sent'`);
      return;
    }
    const match = stateMatches(c.action, result.state);
    if (match === false) {
      const next = await retryLater(
        tx,
        c.id,
        { code: 'STATE_MISMATCH', detail: `the meter reports ${JSON.stringify(result.state)}` },
        d.backoffMs,
      );
      if (next) d.onRetry(next);
      return;
    }
    await settle(tx, c.id, {
      status: 'confirmed',
      verified: result.status === 'confirmed' && (match === true || EXPECTED[c.action] === undefined),
      state: result.state,
      detail: result.detail,
    });
  });
}

/**
 * Delivers one claimed command through the transport that owns its meter. An expired command is
 * never sent; one in doubt (its sender died mid-flight) is first read back and, where the meter
 * already shows the effect, confirmed without being sent again. A transport that throws is a
 * retryable failure.
 */
export async function deliver(d: DeliverDeps, tenantId: string, c: Claimed): Promise<void> {
  const reach = await withTenant(d.db, tenantId, (tx) => reachMeter(tx, d.registry, c.meterId));
  if (!reach.ok) {
    await record(d, tenantId, c, {
      commandId: c.id,
      ok: false,
      error: { code: reach.code, message: reach.detail, retryable: reach.retryable },
    });
    return;
  }
  await withTenant(d.db, tenantId, (tx) =>
    tx.execute(sql`update meter_commands set transport = ${reach.transport.id} where id = ${c.id}`),
  );
  const held =
    reach.kind === 'poll' && d.leases
      ? await d.leases.hold(lineResource(reach.transport.id, reach.line.id), d.signal)
      : null;
  try {
    await deliverHeld(d, tenantId, c, reach, held);
  } finally {
    await held?.release();
  }
}

async function deliverHeld(
  d: DeliverDeps,
  tenantId: string,
  c: Claimed,
  reach: Extract<Reach, { ok: true }>,
  held: Held | null,
): Promise<void> {
  if (c.inDoubt && reach.kind === 'poll' && EXPECTED[c.action]) {
    const state = await readBack(d, tenantId, reach, held).catch(() => undefined);
    if (stateMatches(c.action, state) === true) {
      await withTenant(d.db, tenantId, async (tx) => {
        if (held) await fence(tx, held.lease);
        await settle(tx, c.id, {
          status: 'confirmed',
          verified: true,
          state,
          detail: 'confirmed by read-back after a restart; not sent again',
        });
      });
      return;
    }
  }
  if (c.expired) {
    await withTenant(d.db, tenantId, (tx) =>
      settle(tx, c.id, {
        status: 'expired',
        code: 'COMMAND_EXPIRED',
        detail: 'expired before it was delivered',
      }),
    );
    return;
  }
  const ctx = d.registry.context(reach.transport.id);
  const control = reach.transport.control?.bind(reach.transport);
  const command: ControlCommand = {
    id: c.id,
    tenantId,
    meterId: c.meterId,
    ref: reach.target.ref,
    route: reach.kind === 'push' ? reach.route : reach.target.route,
    ...(reach.kind === 'poll' && { line: reach.line }),
    action: c.action,
    params: { ...(reach.target.params ?? {}), ...c.params },
    expiresAt: c.expiresAt,
    attempt: c.attempts,
  };
  let result: ControlResult;
  try {
    if (!ctx || !control) throw new Error(`transport ${reach.transport.id} is not running`);
    result = await control(command, ctx);
  } catch (err) {
    d.logger.warn({ err, commandId: c.id }, 'command delivery threw');
    result = {
      commandId: c.id,
      ok: false,
      error: {
        code: 'TRANSPORT_ERROR',
        message: err instanceof Error ? err.message : String(err),
        retryable: true,
      },
    };
  }
  await record(d, tenantId, c, result, held);
}
