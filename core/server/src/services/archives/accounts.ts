import { AppError } from '@quadmeter/sdk';
import { and, asc, desc, eq, ilike, lte, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { accountBillingModes, accounts, areas, type billingModes, customers } from '../../db/schema/index.ts';
import type { Actor } from '../identity/actor.ts';
import { validateCustom } from './custom-fields.ts';
import { getCustomer } from './customers.ts';
import { afterCondition, cappedCount, decodeCursor, likeFragment, pageOf } from './list-kit.ts';
import { areaScopeCondition, customerArea, lockSequence, notFound, subtreeCondition } from './scope.ts';

export type BillingMode = (typeof billingModes)[number];
type AccountRow = typeof accounts.$inferSelect;
type Located = AccountRow & { areaPath: string[]; customerNumber: string };

export function accountDto(a: Located, billingMode: BillingMode | null) {
  return {
    id: a.id,
    customerId: a.customerId,
    customerNumber: a.customerNumber,
    number: a.number,
    areaPath: a.areaPath,
    billingMode,
    readingDay: a.readingDay,
    billingCycleMonths: a.billingCycleMonths,
    tariffPlans: a.tariffPlans as Record<string, string>,
    // bigint fen as a decimal string: never a float, exact beyond 2^53
    depositFen: a.depositFen.toString(),
    status: a.status,
    custom: a.custom as Record<string, unknown>,
    createdAt: a.createdAt.toISOString(),
  };
}

const located = {
  a: accounts,
  areaPath: areas.path,
  customerNumber: customers.number,
};

function fromAccounts(tx: Tx) {
  return tx
    .select(located)
    .from(accounts)
    .innerJoin(
      customers,
      and(eq(customers.tenantId, accounts.tenantId), eq(customers.id, accounts.customerId)),
    )
    .innerJoin(areas, customerArea);
}

/** One account whose customer lies inside the actor's scope, or RESOURCE_NOT_FOUND. */
export async function getAccount(tx: Tx, actor: Actor, id: string): Promise<Located> {
  const [row] = await fromAccounts(tx).where(and(eq(accounts.id, id), areaScopeCondition(actor)));
  if (!row) throw notFound('account', id);
  return { ...row.a, areaPath: row.areaPath, customerNumber: row.customerNumber };
}

/** The billing mode in force for an account on `date` (YYYY-MM-DD); null before the first. */
export async function billingModeOn(tx: Tx, accountId: string, date: string): Promise<BillingMode | null> {
  const [row] = await tx
    .select({ mode: accountBillingModes.mode })
    .from(accountBillingModes)
    .where(and(eq(accountBillingModes.accountId, accountId), lte(accountBillingModes.effectiveFrom, date)))
    .orderBy(desc(accountBillingModes.effectiveFrom))
    .limit(1);
  return row?.mode ?? null;
}

export async function billingModeHistory(tx: Tx, accountId: string) {
  return await tx
    .select({ effectiveFrom: accountBillingModes.effectiveFrom, mode: accountBillingModes.mode })
    .from(accountBillingModes)
    .where(eq(accountBillingModes.accountId, accountId))
    .orderBy(asc(accountBillingModes.effectiveFrom));
}

/** Sets the billing mode from a date on; a second mode for the same date replaces the first. */
export async function setBillingMode(
  tx: Tx,
  tenantId: string,
  accountId: string,
  mode: BillingMode,
  effectiveFrom: string,
) {
  await tx
    .insert(accountBillingModes)
    .values({ tenantId, accountId, effectiveFrom, mode })
    .onConflictDoUpdate({
      target: [
        accountBillingModes.tenantId,
        accountBillingModes.accountId,
        accountBillingModes.effectiveFrom,
      ],
      set: { mode },
    });
}

/** `<customer number>-NN`: one more than the largest suffix that customer's accounts already use. */
async function nextAccountNumber(tx: Tx, customerNumber: string): Promise<string> {
  await lockSequence(tx, 'accounts.number');
  const prefix = `${customerNumber}-`;
  const start = prefix.length + 1;
  const rows = await tx.execute<{ n: string }>(sql`
    select (coalesce(max(substring(${accounts.number} from ${start}::int)::numeric), 0) + 1)::text as n
    from ${accounts}
    where left(${accounts.number}, ${prefix.length}::int) = ${prefix}
      and substring(${accounts.number} from ${start}::int) ~ '^[0-9]{1,18}$'`);
  return prefix + rows[0].n.padStart(2, '0');
}

export interface AccountInput {
  customerId: string;
  number?: string;
  billingMode?: BillingMode;
  billingModeFrom?: string;
  readingDay?: number;
  billingCycleMonths?: number;
  tariffPlans?: Record<string, string>;
  depositFen?: bigint;
  status?: 'active' | 'closed';
  custom?: Record<string, unknown>;
}

async function checkNumberFree(tx: Tx, number: string) {
  const [taken] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.number, number));
  if (taken) throw new AppError('RESOURCE_CONFLICT', 'The account number is taken', { number });
}

export async function createAccount(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  input: AccountInput,
  today: string,
) {
  const customer = await getCustomer(tx, actor, input.customerId);
  const custom = await validateCustom(tx, 'account', input.custom);
  const number = input.number ?? (await nextAccountNumber(tx, customer.number));
  await checkNumberFree(tx, number);
  const [row] = await tx
    .insert(accounts)
    .values({
      tenantId,
      customerId: customer.id,
      number,
      readingDay: input.readingDay ?? 1,
      billingCycleMonths: input.billingCycleMonths ?? 1,
      tariffPlans: input.tariffPlans ?? {},
      depositFen: input.depositFen ?? 0n,
      status: input.status ?? 'active',
      custom,
    })
    .returning();
  await setBillingMode(tx, tenantId, row.id, input.billingMode ?? 'postpaid', input.billingModeFrom ?? today);
  return { ...row, areaPath: customer.areaPath, customerNumber: customer.number };
}

export type AccountPatch = Partial<Omit<AccountInput, 'customerId' | 'billingMode' | 'billingModeFrom'>>;

export async function updateAccount(tx: Tx, actor: Actor, id: string, patch: AccountPatch) {
  const before = await getAccount(tx, actor, id);
  const custom =
    patch.custom !== undefined
      ? await validateCustom(tx, 'account', patch.custom, before.custom as Record<string, unknown>)
      : undefined;
  if (patch.number !== undefined && patch.number !== before.number) await checkNumberFree(tx, patch.number);
  const { custom: _ignored, ...plain } = patch;
  const [row] = await tx
    .update(accounts)
    .set({
      ...Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined)),
      ...(custom !== undefined && { custom }),
    })
    .where(eq(accounts.id, id))
    .returning();
  return { before, after: { ...row, areaPath: before.areaPath, customerNumber: before.customerNumber } };
}

/** Deletes an account that holds no meters (the database refuses otherwise: RESOURCE_CONFLICT). */
export async function deleteAccount(tx: Tx, actor: Actor, id: string) {
  const before = await getAccount(tx, actor, id);
  await tx.delete(accounts).where(eq(accounts.id, id));
  return before;
}

export interface AccountQuery {
  customerId?: string;
  number?: string;
  areaId?: string;
  status?: 'active' | 'closed';
  after?: string;
  limit: number;
}

/** Accounts inside the actor's scope by number, keyset-paginated, total capped. */
export async function listAccounts(tx: Tx, actor: Actor, q: AccountQuery, today: string) {
  const where = [
    areaScopeCondition(actor),
    q.customerId ? eq(accounts.customerId, q.customerId) : undefined,
    q.number ? ilike(accounts.number, likeFragment(q.number)) : undefined,
    q.areaId ? subtreeCondition(q.areaId) : undefined,
    q.status ? eq(accounts.status, q.status) : undefined,
  ].filter((w): w is SQL => w !== undefined);
  const count = await cappedCount(
    tx,
    sql`from ${accounts} inner join ${customers} on ${customers.tenantId} = ${accounts.tenantId}
        and ${customers.id} = ${accounts.customerId} inner join ${areas} on ${customerArea}
        where ${and(sql`true`, ...where)}`,
  );
  if (q.after)
    where.push(afterCondition(accounts.number, accounts.id, 'asc', decodeCursor(q.after, 'number')));
  const rows = await tx
    .select({
      ...located,
      mode: sql<BillingMode | null>`(select m.mode from ${accountBillingModes} m
        where m.tenant_id = ${accounts.tenantId} and m.account_id = ${accounts.id}
          and m.effective_from <= ${today}::date order by m.effective_from desc limit 1)`,
    })
    .from(accounts)
    .innerJoin(
      customers,
      and(eq(customers.tenantId, accounts.tenantId), eq(customers.id, accounts.customerId)),
    )
    .innerJoin(areas, customerArea)
    .where(and(...where))
    .orderBy(asc(accounts.number), asc(accounts.id))
    .limit(q.limit + 1);
  return pageOf(
    rows,
    q.limit,
    'number',
    (r) => ({ key: r.a.number, id: r.a.id }),
    (r) => accountDto({ ...r.a, areaPath: r.areaPath, customerNumber: r.customerNumber }, r.mode),
    count,
  );
}
