import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { canSeePii, maskPhone } from '../archives/masking.ts';
import { customerSearchIds, meterSearchIds } from '../archives/search.ts';
import type { Actor } from '../identity/actor.ts';
import { scopeAnd } from './scope-sql.ts';

/** At most this many accounts answer a counter lookup: the cashier picks one with the arrow keys. */
export const LOOKUP_LIMIT = 20;

interface LookupRow extends Record<string, unknown> {
  account_id: string;
  account_number: string;
  account_status: 'active' | 'closed';
  customer_id: string;
  customer_number: string;
  customer_name: string;
  phone: string | null;
  address: string | null;
  balance_fen: string;
  meters: string[] | null;
}

/**
 * The counter's search: accounts by account number or customer number (exact), by phone (exact —
 * a fragment never matches, so masked digits cannot be probed), by customer name, address or
 * number fragment, and by meter asset number or communication address — through the trigram
 * search keys (migrations 0003/0008) and the unique number indexes, never a table scan. Each
 * account comes with its cached balance and what it owes (the negative part of the balance).
 */
export async function counterLookup(tx: Tx, actor: Actor, q: string) {
  const text = q.trim();
  // 'any': number/name/address by fragment, phone only when given in full (for every actor)
  const customerIds = await customerSearchIds(tx, 'any', text);
  const meterIds = await meterSearchIds(tx, text);
  const customers = customerIds ?? [];
  const meters = meterIds ?? [];
  const rows = await tx.execute<LookupRow>(sql`
    with hits as (
      select id from accounts where number = ${text}
      union select a.id from accounts a join customers c on c.id = a.customer_id where c.number = ${text}
      union select a.id from accounts a where a.customer_id = any(${uuidArray(customers)})
      union select m.account_id from meters m where m.id = any(${uuidArray(meters)}) and m.account_id is not null
    )
    select accounts.id as account_id, accounts.number as account_number, accounts.status as account_status,
      customers.id as customer_id, customers.number as customer_number, customers.name as customer_name,
      customers.phone, customers.address, coalesce(b.balance_fen, 0)::text as balance_fen,
      (select array_agg(m.asset_no order by m.asset_no) from (select asset_no from meters
        where meters.account_id = accounts.id order by asset_no limit 5) m) as meters
    from hits join accounts on accounts.id = hits.id
      join customers on customers.id = accounts.customer_id
      join areas on areas.id = customers.area_id
      left join account_balances b on b.account_id = accounts.id
    where true ${scopeAnd(actor)}
    order by accounts.status, accounts.number limit ${LOOKUP_LIMIT + 1}`);
  const pii = canSeePii(actor);
  const items = rows.slice(0, LOOKUP_LIMIT).map((r) => {
    const balance = BigInt(r.balance_fen);
    return {
      accountId: r.account_id,
      accountNumber: r.account_number,
      accountStatus: r.account_status,
      customerId: r.customer_id,
      customerNumber: r.customer_number,
      customerName: r.customer_name,
      phone: pii ? r.phone : maskPhone(r.phone),
      address: r.address,
      meters: r.meters ?? [],
      balanceFen: balance.toString(),
      owedFen: (balance < 0n ? -balance : 0n).toString(),
    };
  });
  return { items, more: rows.length > LOOKUP_LIMIT };
}
