import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import type { Actor } from '../identity/actor.ts';

export interface DeliveryFilter {
  accountId?: string;
  event?: string;
  channel?: string;
  outcome?: string;
  before?: number;
  limit: number;
}

/**
 * The delivery log, newest first, keyset-paged by id; an area-scoped actor sees the attempts of
 * accounts whose customer lies in their areas.
 */
export async function listDeliveries(tx: Tx, actor: Actor, f: DeliveryFilter) {
  const where: SQL[] = [sql`true`];
  if (actor.areaScope) where.push(sql`areas.path && ${uuidArray(actor.areaScope)}`);
  if (f.accountId) where.push(sql`d.account_id = ${f.accountId}`);
  if (f.event) where.push(sql`d.event = ${f.event}`);
  if (f.channel) where.push(sql`d.channel = ${f.channel}`);
  if (f.outcome) where.push(sql`d.outcome = ${f.outcome}`);
  if (f.before) where.push(sql`d.id < ${f.before}`);
  const rows = (await tx.execute(sql`select d.id::text as id,
      to_char(d.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, o.message_id as "messageId",
      d.account_id::text as "accountId", a.number as "accountNumber", c.name as "customerName", d.event,
      d.channel, d.attempt, d.outcome, d.provider_id as "providerId", d.error_code as "errorCode",
      d.error_message as "errorMessage"
    from notify_deliveries d
      join notify_outbox o on o.tenant_id = d.tenant_id and o.id = d.outbox_id
      join accounts a on a.tenant_id = d.tenant_id and a.id = d.account_id
      join customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
      join areas on areas.tenant_id = c.tenant_id and areas.id = c.area_id
    where ${sql.join(where, sql` and `)}
    order by d.id desc limit ${f.limit + 1}`)) as unknown as { id: string }[];
  const items = rows.slice(0, f.limit);
  return { items, next: rows.length > f.limit ? (items.at(-1)?.id ?? null) : null };
}
