import { AppError, type ControlAction, type ControlState } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { decodeCursor, encodeCursor } from '../archives/list-kit.ts';
import type { Actor } from '../identity/actor.ts';

export type CommandStatus = 'queued' | 'sent' | 'confirmed' | 'failed' | 'expired' | 'cancelled';

export interface CommandRow {
  id: string;
  meterId: string;
  assetNo: string;
  areaId: string;
  batchId: string | null;
  action: ControlAction;
  params: Record<string, unknown>;
  status: CommandStatus;
  verified: boolean | null;
  source: 'operator' | 'schedule' | 'prepaid' | 'api';
  priority: number;
  reason: string;
  requestedBy: string | null;
  requestedByName: string;
  override: boolean;
  expiresAt: string;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string;
  transport: string | null;
  platformRef: string | null;
  deliveredAt: string | null;
  state: ControlState | null;
  errorCode: string | null;
  detail: string | null;
  createdAt: string;
  sentAt: string | null;
  finishedAt: string | null;
}

const ts = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const COMMAND_COLUMNS = sql`c.id::text as id, c.meter_id::text as "meterId", m.asset_no as "assetNo",
  c.area_id::text as "areaId", c.batch_id::text as "batchId", c.action, c.params, c.status, c.verified,
  c.source, c.priority, c.reason, c.requested_by::text as "requestedBy", c.requested_by_name as "requestedByName",
  c.override, ${ts(sql`c.expires_at`)} as "expiresAt", c.attempts, c.max_attempts as "maxAttempts",
  ${ts(sql`c.next_attempt_at`)} as "nextAttemptAt", c.transport, c.platform_ref as "platformRef",
  ${ts(sql`c.delivered_at`)} as "deliveredAt", c.state, c.error_code as "errorCode", c.detail,
  ${ts(sql`c.created_at`)} as "createdAt", ${ts(sql`c.sent_at`)} as "sentAt", ${ts(sql`c.finished_at`)} as "finishedAt"`;

/** Commands the actor may see: those of meters in the actor's areas. */
export function commandVisible(actor: Actor | null): SQL {
  return actor?.areaScope
    ? sql`exists (select 1 from areas a where a.id = c.area_id and a.path && ${uuidArray(actor.areaScope)})`
    : sql`true`;
}

/** Meters (alias m) the actor may command: those in the actor's areas. */
export function meterInScope(actor: Actor | null): SQL {
  return actor?.areaScope
    ? sql`exists (select 1 from areas a where a.id = m.area_id and a.path && ${uuidArray(actor.areaScope)})`
    : sql`true`;
}

export async function findCommand(tx: Tx, actor: Actor | null, id: string): Promise<CommandRow> {
  const [row] = (await tx.execute(sql`
    select ${COMMAND_COLUMNS} from meter_commands c join meters m on m.id = c.meter_id
    where c.id = ${id} and ${commandVisible(actor)}`)) as unknown as CommandRow[];
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such command', { id });
  return row;
}

export interface CommandQuery {
  limit: number;
  after?: string;
  status?: CommandStatus;
  action?: ControlAction;
  source?: CommandRow['source'];
  meterId?: string;
  batchId?: string;
}

/** Command history, newest first, keyset-paged; only commands of meters in the actor's areas. */
export async function listCommands(tx: Tx, actor: Actor, q: CommandQuery) {
  const after = q.after ? decodeCursor(q.after, 'createdAt') : null;
  const rows = (await tx.execute(sql`
    select ${COMMAND_COLUMNS} from meter_commands c join meters m on m.id = c.meter_id
    where ${commandVisible(actor)}
      ${q.status ? sql`and c.status = ${q.status}` : sql``}
      ${q.action ? sql`and c.action = ${q.action}` : sql``}
      ${q.source ? sql`and c.source = ${q.source}` : sql``}
      ${q.meterId ? sql`and c.meter_id = ${q.meterId}::uuid` : sql``}
      ${q.batchId ? sql`and c.batch_id = ${q.batchId}::uuid` : sql``}
      ${after ? sql`and (c.created_at, c.id) < (${String(after.key)}::timestamptz, ${after.id}::uuid)` : sql``}
    order by c.created_at desc, c.id desc limit ${q.limit + 1}`)) as unknown as CommandRow[];
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items, next: more && last ? encodeCursor('createdAt', last.createdAt, last.id) : null };
}

/** Cancels a queued command (one already sent cannot be called back). */
export async function cancelCommand(tx: Tx, actor: Actor, id: string): Promise<CommandRow> {
  const before = await findCommand(tx, actor, id);
  const res = await tx.execute(sql`
    update meter_commands set status = 'cancelled', detail = ${`cancelled by ${actor.displayName || actor.name}`},
      finished_at = now(), updated_at = now()
    where id = ${id} and status = 'queued'`);
  if (res.count === 0)
    throw new AppError('CONTROL_NOT_CANCELLABLE', undefined, { id, status: before.status });
  return await findCommand(tx, actor, id);
}
