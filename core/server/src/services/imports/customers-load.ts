import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { accounts, customerFacts, customers } from '../../db/schema/index.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { AreaLookup } from './area-lookup.ts';
import type { ParsedRow } from './entity.ts';

export type ExistingCustomer = typeof customers.$inferSelect;
export interface ExistingAccount {
  id: string;
  number: string;
  customerId: string;
  customerNumber: string;
  readingDay: number;
  billingCycleMonths: number;
  depositFen: string;
  /** the billing mode in force today */
  mode: string | null;
}
export interface Fact {
  kind: string;
  from: string;
  value: string;
}

export interface LoadedCustomers {
  areas: AreaLookup;
  customers: Map<string, ExistingCustomer>;
  accounts: Map<string, ExistingAccount>;
  /** facts per customer id, latest first */
  facts: Map<string, Fact[]>;
}

const textSet = (values: string[]) =>
  sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

function keys(rows: ParsedRow[], key: string): string[] {
  const out = new Set<string>();
  for (const r of rows) {
    const v = r.values.get(key);
    if (typeof v === 'string' && v) out.add(v);
  }
  return [...out];
}

/** Everything the rows refer to, in four queries for the whole file. */
export async function loadCustomers(tx: Tx, rows: ParsedRow[], today: string): Promise<LoadedCustomers> {
  const areas = await AreaLookup.load(tx);
  const numbers = keys(rows, 'number');
  const found = numbers.length
    ? await tx
        .select()
        .from(customers)
        .where(sql`${customers.number} in ${textSet(numbers)}`)
    : [];
  const byNumber = new Map(found.map((c) => [c.number, c]));
  const accountNumbers = keys(rows, 'accountNumber');
  const accountRows = accountNumbers.length
    ? await tx
        .select({
          id: accounts.id,
          number: accounts.number,
          customerId: accounts.customerId,
          customerNumber: customers.number,
          readingDay: accounts.readingDay,
          billingCycleMonths: accounts.billingCycleMonths,
          depositFen: sql<string>`${accounts.depositFen}::text`,
          mode: sql<string | null>`(select m.mode from account_billing_modes m
            where m.tenant_id = ${accounts.tenantId} and m.account_id = ${accounts.id}
              and m.effective_from <= ${today}::date order by m.effective_from desc limit 1)`,
        })
        .from(accounts)
        .innerJoin(
          customers,
          sql`${customers.tenantId} = ${accounts.tenantId} and ${customers.id} = ${accounts.customerId}`,
        )
        .where(sql`${accounts.number} in ${textSet(accountNumbers)}`)
    : [];
  const ids = found.map((c) => c.id);
  const factRows = ids.length
    ? await tx
        .select({
          customerId: customerFacts.customerId,
          kind: customerFacts.kind,
          from: sql<string>`${customerFacts.effectiveFrom}::text`,
          value: sql<string>`${customerFacts.value}::text`,
        })
        .from(customerFacts)
        .where(sql`${customerFacts.customerId} = any(${uuidArray(ids)})`)
        .orderBy(sql`${customerFacts.effectiveFrom} desc`)
    : [];
  const facts = new Map<string, Fact[]>();
  for (const f of factRows) {
    const list = facts.get(f.customerId) ?? [];
    list.push({ kind: f.kind, from: f.from, value: f.value });
    facts.set(f.customerId, list);
  }
  return { areas, customers: byNumber, accounts: new Map(accountRows.map((a) => [a.number, a])), facts };
}

/** The value of a fact in force on `date` (facts are sorted latest first). */
export function factOn(facts: Fact[] | undefined, kind: string, date: string): string | undefined {
  return facts?.find((f) => f.kind === kind && f.from <= date)?.value;
}
