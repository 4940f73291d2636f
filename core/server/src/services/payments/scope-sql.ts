import { type SQL, sql } from 'drizzle-orm';
import { uuidArray } from '../../db/sql-helpers.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * FROM part shared by the payment reads: a payment with its account, the account's customer and
 * the customer's area — the area decides the scope (a payment is seen where its account is).
 */
export const PAYMENT_FROM = sql`from payments
  join accounts on accounts.id = payments.account_id
  join customers on customers.id = accounts.customer_id
  join areas on areas.id = customers.area_id`;

/** `and <area within the actor's scope>`, or nothing for a whole-tenant actor. */
export function scopeAnd(actor: Actor): SQL {
  return actor.areaScope ? sql`and areas.path && ${uuidArray(actor.areaScope)}` : sql``;
}

/** A timestamptz column as an ISO-8601 UTC text with milliseconds (the driver returns raw text). */
export function isoOf(column: string): SQL {
  return sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}
