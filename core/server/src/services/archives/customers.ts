import { AppError } from '@quadmeter/sdk';
import { and, count, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { accounts, areas, customers, type customerTypes } from '../../db/schema/index.ts';
import { getArea } from '../areas/areas.ts';
import type { Actor } from '../identity/actor.ts';
import { validateCustom } from './custom-fields.ts';
import { type FactInput, insertFact } from './customer-facts.ts';
import { maskPii } from './masking.ts';
import { areaScopeCondition, customerArea, lockSequence, notFound } from './scope.ts';

export type CustomerType = (typeof customerTypes)[number];
export type CustomerRow = typeof customers.$inferSelect;
export type Located = CustomerRow & { areaPath: string[] };

/** The full (unmasked) shape; responses and audit reads pass it through `maskPii`. */
export function customerDto(c: Located) {
  return {
    id: c.id,
    number: c.number,
    name: c.name,
    type: c.type,
    phone: c.phone,
    idNumber: c.idNumber,
    address: c.address,
    areaId: c.areaId,
    areaPath: c.areaPath,
    lowIncome: c.lowIncome,
    tags: c.tags,
    notes: c.notes,
    status: c.status,
    custom: c.custom as Record<string, unknown>,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
export type CustomerDto = ReturnType<typeof customerDto>;

export function shownCustomer(actor: Actor, c: Located): CustomerDto {
  return maskPii(actor, customerDto(c));
}

/** One customer inside the actor's scope, or RESOURCE_NOT_FOUND (also for other tenants' ids). */
export async function getCustomer(tx: Tx, actor: Actor, id: string, lock = false): Promise<Located> {
  const q = tx
    .select({ c: customers, areaPath: areas.path })
    .from(customers)
    .innerJoin(areas, customerArea)
    .where(and(eq(customers.id, id), areaScopeCondition(actor)));
  const [row] = lock ? await q.for('update', { of: customers }) : await q;
  if (!row) throw notFound('customer', id);
  return { ...row.c, areaPath: row.areaPath };
}

/**
 * Numbering rule: `prefix + areaCode + sequence`, the sequence zero-padded to 6 digits and one
 * more than the largest already used after that same prefix in the tenant. Generation is
 * serialised per tenant by an advisory lock, so two concurrent creates never pick the same one.
 */
export async function nextCustomerNumber(tx: Tx, prefix: string): Promise<string> {
  await lockSequence(tx, 'customers.number');
  const start = prefix.length + 1;
  const rows = await tx.execute<{ n: string }>(sql`
    select (coalesce(max(substring(${customers.number} from ${start}::int)::numeric), 0) + 1)::text as n
    from ${customers}
    where left(${customers.number}, ${prefix.length}::int) = ${prefix}
      and substring(${customers.number} from ${start}::int) ~ '^[0-9]{1,18}$'`);
  return prefix + rows[0].n.padStart(6, '0');
}

export interface CustomerInput {
  number?: string;
  numberPrefix?: string;
  areaCode?: string;
  name: string;
  type?: CustomerType;
  phone?: string | null;
  idNumber?: string | null;
  address?: string | null;
  areaId: string;
  lowIncome?: boolean;
  tags?: string[];
  notes?: string;
  status?: 'active' | 'closed';
  custom?: Record<string, unknown>;
  facts?: FactInput[];
}

export async function createCustomer(tx: Tx, actor: Actor, tenantId: string, input: CustomerInput) {
  const area = await getArea(tx, actor, input.areaId);
  const custom = await validateCustom(tx, 'customer', input.custom);
  const number =
    input.number ?? (await nextCustomerNumber(tx, (input.numberPrefix ?? 'C') + (input.areaCode ?? '')));
  const [taken] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.number, number));
  if (taken) throw new AppError('RESOURCE_CONFLICT', 'The customer number is taken', { number });
  const [row] = await tx
    .insert(customers)
    .values({
      tenantId,
      number,
      name: input.name,
      type: input.type ?? 'resident',
      phone: input.phone ?? null,
      idNumber: input.idNumber ?? null,
      address: input.address ?? null,
      areaId: area.id,
      lowIncome: input.lowIncome ?? false,
      tags: input.tags ?? [],
      notes: input.notes ?? '',
      status: input.status ?? 'active',
      custom,
    })
    .returning();
  for (const f of input.facts ?? []) await insertFact(tx, tenantId, row.id, f);
  return { ...row, areaPath: area.path };
}

export type CustomerPatch = Partial<Omit<CustomerInput, 'numberPrefix' | 'areaCode' | 'facts'>>;

export async function updateCustomer(tx: Tx, actor: Actor, id: string, patch: CustomerPatch) {
  const before = await getCustomer(tx, actor, id, true);
  let areaPath = before.areaPath;
  if (patch.areaId !== undefined && patch.areaId !== before.areaId) {
    areaPath = (await getArea(tx, actor, patch.areaId)).path;
  }
  const custom =
    patch.custom !== undefined
      ? await validateCustom(tx, 'customer', patch.custom, before.custom as Record<string, unknown>)
      : undefined;
  if (patch.number !== undefined && patch.number !== before.number) {
    const [taken] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.number, patch.number));
    if (taken)
      throw new AppError('RESOURCE_CONFLICT', 'The customer number is taken', { number: patch.number });
  }
  const { custom: _ignored, ...plain } = patch;
  const [after] = await tx
    .update(customers)
    .set({
      ...Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined)),
      ...(custom !== undefined && { custom }),
      updatedAt: sql`now()`,
    })
    .where(eq(customers.id, id))
    .returning();
  return { before, after: { ...after, areaPath } };
}

/** Deletes a customer without accounts (its facts go with it); one with accounts is closed instead. */
export async function deleteCustomer(tx: Tx, actor: Actor, id: string) {
  const before = await getCustomer(tx, actor, id, true);
  const [held] = await tx.select({ n: count() }).from(accounts).where(eq(accounts.customerId, id));
  if (held.n > 0) throw new AppError('CUSTOMER_HAS_ACCOUNTS', undefined, { accounts: held.n });
  await tx.delete(customers).where(eq(customers.id, id));
  return before;
}
