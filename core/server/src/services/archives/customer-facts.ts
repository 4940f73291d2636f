import { and, asc, desc, eq, lte } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type customerFactKinds, customerFacts } from '../../db/schema/index.ts';

export type FactKind = (typeof customerFactKinds)[number];

/** Bounds per kind: a household is a whole number of people; a heated area fits numeric(12,2). */
export const FACT_BOUNDS: Record<FactKind, { min: number; max: number; integer: boolean }> = {
  household_size: { min: 1, max: 999, integer: true },
  heated_area_m2: { min: 0.01, max: 9_999_999.99, integer: false },
};

export interface FactInput {
  kind: FactKind;
  /** YYYY-MM-DD, the first day the value is in force */
  effectiveFrom: string;
  value: number;
}

/** Records a fact; a second value for the same kind and date replaces the first (a correction). */
export async function insertFact(tx: Tx, tenantId: string, customerId: string, f: FactInput) {
  const value = f.value.toFixed(2);
  const [row] = await tx
    .insert(customerFacts)
    .values({ tenantId, customerId, kind: f.kind, effectiveFrom: f.effectiveFrom, value })
    .onConflictDoUpdate({
      target: [
        customerFacts.tenantId,
        customerFacts.customerId,
        customerFacts.kind,
        customerFacts.effectiveFrom,
      ],
      set: { value },
    })
    .returning();
  return factDto(row);
}

function factDto(r: typeof customerFacts.$inferSelect) {
  return { kind: r.kind, effectiveFrom: r.effectiveFrom, value: Number(r.value) };
}

/**
 * The value of `kind` in force for a customer on `date` (YYYY-MM-DD): the one with the latest
 * `effectiveFrom` not after the date, or null before the first. Billing calls this.
 */
export async function factOn(
  tx: Tx,
  customerId: string,
  kind: FactKind,
  date: string,
): Promise<number | null> {
  const [row] = await tx
    .select({ value: customerFacts.value })
    .from(customerFacts)
    .where(
      and(
        eq(customerFacts.customerId, customerId),
        eq(customerFacts.kind, kind),
        lte(customerFacts.effectiveFrom, date),
      ),
    )
    .orderBy(desc(customerFacts.effectiveFrom))
    .limit(1);
  return row ? Number(row.value) : null;
}

/** Every recorded value, oldest first per kind, and what is in force on `today`. */
export async function factHistory(tx: Tx, customerId: string, today: string) {
  const rows = await tx
    .select()
    .from(customerFacts)
    .where(eq(customerFacts.customerId, customerId))
    .orderBy(asc(customerFacts.kind), asc(customerFacts.effectiveFrom));
  const items = rows.map(factDto);
  const current = (kind: FactKind) =>
    items.filter((f) => f.kind === kind && f.effectiveFrom <= today).at(-1)?.value ?? null;
  return {
    items,
    current: { household_size: current('household_size'), heated_area_m2: current('heated_area_m2') },
  };
}
