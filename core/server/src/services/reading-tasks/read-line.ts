import type { RawReading, ReadKind, ReadResult } from '@quadmeter/sdk';
import type { Db } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Registry } from '../../registry/index.ts';
import type { LeaseKeeper } from '../gateway/lease-keeper.ts';
import { fence } from '../gateway/leases.ts';
import { type IngestDeps, ingestReadings } from '../readings/ingest.ts';
import { KIND_CODES, keyInstant } from '../readings/prepare.ts';
import { type Outcome, outcomeOf, RETRYABLE } from './kinds.ts';
import type { LineBatch } from './plan.ts';
import { type MeterOutcome, recordOutcomes } from './record.ts';

export interface LineContext {
  db: Db;
  registry: Registry;
  ingest: IngestDeps;
  tenantId: string;
  taskId: string;
  kind: ReadKind;
  frozenFor: string | null;
  signal: AbortSignal;
  /** results ingested and recorded together */
  flushEvery: number;
  /** outcome for a successful read (the fallback pass records 'fallback_daily') */
  okOutcome: Outcome;
  /** told after each flush, for live progress */
  onFlush?: (line: string, n: number) => void;
  /** the node's gateway leases: the line is held while read, its ingest writes are fenced */
  leases?: LeaseKeeper;
}

/** The lease name of a line: the transport's instance-wide key (one physical line, any tenant). */
export const lineResource = (transport: string, line: string) => `${transport}:${line}`;

/** A failure the transport calls final is never retried: a retryable-looking code becomes meter_error. */
function failureOutcome(code: string, retryable: boolean): Outcome {
  const o = outcomeOf(code);
  return !retryable && RETRYABLE.has(o) ? 'meter_error' : o;
}

/**
 * Reads one line's meters through its transport (the transport serialises them on the wire),
 * hands successful readings to the ingest path in batches and records every meter's outcome
 * with the stored reading's key. A meter the transport never answered for, or every meter left
 * when the transport throws, is recorded as a timeout (retried next round).
 */
export async function readLine(c: LineContext, batch: LineBatch): Promise<void> {
  const held = c.leases ? await c.leases.hold(lineResource(batch.transport, batch.line.id), c.signal) : null;
  try {
    await readHeld(c, batch, held);
  } finally {
    await held?.release();
  }
}

async function readHeld(
  c: LineContext,
  batch: LineBatch,
  held: Awaited<ReturnType<LeaseKeeper['hold']>> | null,
): Promise<void> {
  const plugin = c.registry.get(batch.transport);
  const ctx = c.registry.context(batch.transport);
  const left = new Set(batch.meters.map((m) => m.meterId));
  const buffer: ReadResult[] = [];
  const flush = async () => {
    const results = buffer.splice(0);
    if (results.length === 0) return;
    const ok = results.filter((r): r is Extract<ReadResult, { ok: true }> => r.ok);
    const readings: RawReading[] = ok.map((r) => ({ ...r.reading, tenantId: c.tenantId }));
    const ingested =
      readings.length > 0
        ? await ingestReadings(
            c.ingest,
            batch.transport,
            readings,
            held ? (tx) => fence(tx, held.lease) : undefined,
          )
        : null;
    const list: MeterOutcome[] = [];
    let i = 0;
    for (const r of results) {
      if (!r.ok) {
        list.push({
          meterId: r.meterId,
          outcome: failureOutcome(r.error.code, r.error.retryable),
          detail: `${r.error.code}: ${r.error.message}`,
          transport: batch.transport,
        });
        continue;
      }
      const o = ingested?.outcomes[i];
      const raw = readings[i++];
      if (o?.status === 'stored' || o?.status === 'duplicate') {
        list.push({
          meterId: r.meterId,
          outcome: c.okOutcome,
          detail: o.status === 'duplicate' ? 'duplicate' : null,
          transport: batch.transport,
          reading: { kind: KIND_CODES[raw.kind], ts: keyInstant(raw, c.ingest.zone) },
        });
      } else if (o?.status === 'rejected') {
        list.push({
          meterId: r.meterId,
          outcome: 'rejected',
          detail: o.reasons.map((x) => x.code).join(', '),
          transport: batch.transport,
        });
      } else {
        list.push({
          meterId: r.meterId,
          outcome: 'no_route',
          detail: o?.status === 'unmatched' ? o.reason : 'not ingested',
          transport: batch.transport,
        });
      }
    }
    await withTenant(c.db, c.tenantId, (tx) => recordOutcomes(tx, c.taskId, list));
    c.onFlush?.(batch.line.id, list.length);
  };
  try {
    if (plugin?.kind !== 'transport' || plugin.mode !== 'poll' || !ctx)
      throw new Error(`transport ${batch.transport} is not running`);
    const request = {
      tenantId: c.tenantId,
      line: batch.line,
      meters: batch.meters,
      // a lost lease stops the line at once: another gateway owns it now
      signal: AbortSignal.any([c.signal, ctx.signal, ...(held ? [held.signal] : [])]),
      kind: c.kind,
      ...(c.frozenFor !== null && { frozenFor: c.frozenFor }),
    };
    for await (const r of plugin.read(request, ctx)) {
      if (!left.delete(r.meterId)) continue; // not asked for, or answered twice
      buffer.push(r);
      if (buffer.length >= c.flushEvery) await flush();
      if (c.signal.aborted || held?.signal.aborted) break;
    }
    await flush();
  } catch (err) {
    await flush().catch(() => {});
    if (c.signal.aborted) throw err;
    const message = err instanceof Error ? err.message : String(err);
    await withTenant(c.db, c.tenantId, (tx) =>
      recordOutcomes(
        tx,
        c.taskId,
        [...left].map((meterId) => ({
          meterId,
          outcome: 'timeout',
          detail: `TRANSPORT_ERROR: ${message}`,
          transport: batch.transport,
        })),
      ),
    );
    return;
  }
  if (c.signal.aborted) return;
  if (left.size > 0)
    await withTenant(c.db, c.tenantId, (tx) =>
      recordOutcomes(
        tx,
        c.taskId,
        [...left].map((meterId) => ({
          meterId,
          outcome: 'timeout',
          detail: 'NO_RESULT: the transport gave no result for the meter',
          transport: batch.transport,
        })),
      ),
    );
}
