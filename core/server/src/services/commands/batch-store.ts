import { AppError, type ControlAction } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../archives/list-kit.ts';
import type { Actor } from '../identity/actor.ts';
import { batchVisible } from './batches.ts';

export interface BatchRow {
  id: string;
  action: ControlAction;
  params: Record<string, unknown>;
  reason: string;
  target: 'meters' | 'group' | 'area';
  targetId: string | null;
  meterCount: number;
  customerCount: number;
  priority: number;
  override: boolean;
  expiresAt: string;
  status: 'pending_approval' | 'released' | 'rejected' | 'cancelled';
  requestedBy: string | null;
  requestedByName: string;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
  progress: Record<'queued' | 'sent' | 'confirmed' | 'failed' | 'expired' | 'cancelled', number>;
}

const ts = (col: string) => sql.raw(`to_char(b.${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

const COLUMNS = sql`b.id::text as id, b.action, b.params, b.reason, b.target, b.target_id::text as "targetId",
  b.meter_count as "meterCount", b.customer_count as "customerCount", b.priority, b.override,
  ${ts('expires_at')} as "expiresAt", b.status, b.requested_by::text as "requestedBy",
  b.requested_by_name as "requestedByName", b.decided_by::text as "decidedBy", b.decided_by_name as "decidedByName",
  ${ts('decided_at')} as "decidedAt", b.decision_note as "decisionNote", ${ts('created_at')} as "createdAt",
  (select jsonb_build_object(
    'queued', count(*) filter (where c.status = 'queued'), 'sent', count(*) filter (where c.status = 'sent'),
    'confirmed', count(*) filter (where c.status = 'confirmed'), 'failed', count(*) filter (where c.status = 'failed'),
    'expired', count(*) filter (where c.status = 'expired'), 'cancelled', count(*) filter (where c.status = 'cancelled'))
   from meter_commands c where c.batch_id = b.id) as progress`;

export async function findBatch(tx: Tx, actor: Actor, id: string): Promise<BatchRow> {
  const [row] = (await tx.execute(sql`
    select ${COLUMNS} from command_batches b where b.id = ${id} and ${batchVisible(actor)}`)) as unknown as BatchRow[];
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such batch', { id });
  return row;
}

export async function listBatches(
  tx: Tx,
  actor: Actor,
  q: { limit: number; after?: string; status?: BatchRow['status'] },
) {
  const after = q.after ? decodeCursor(q.after, 'createdAt') : null;
  const rows = (await tx.execute(sql`
    select ${COLUMNS} from command_batches b
    where ${batchVisible(actor)} ${q.status ? sql`and b.status = ${q.status}` : sql``}
      ${after ? sql`and (b.created_at, b.id) < (${String(after.key)}::timestamptz, ${after.id}::uuid)` : sql``}
    order by b.created_at desc, b.id desc limit ${q.limit + 1}`)) as unknown as BatchRow[];
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items, next: more && last ? encodeCursor('createdAt', last.createdAt, last.id) : null };
}
