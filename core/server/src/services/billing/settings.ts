import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';

/** The tenant's billing policy (table billing_settings, migration 0011). */
export type BillingSettings = {
  allocationOrder: string[];
  dueDays: number;
  /** late fee per day, in ‰ of the overdue amount (3 decimals) */
  lateFeePerMillePerDay: number;
  lateFeeGraceDays: number;
  /** late fees on one bill never exceed this share of its overdue amount (%, 2 decimals) */
  lateFeeCapPercent: number;
  lateFeeMinFen: number;
  holdEstimated: boolean;
  holdMissing: boolean;
  holdAboveFen: number | null;
};

export const DEFAULT_BILLING_SETTINGS: BillingSettings = {
  allocationOrder: ['arrears', 'late_fee', 'fixed', 'usage'],
  dueDays: 15,
  lateFeePerMillePerDay: 1,
  lateFeeGraceDays: 0,
  lateFeeCapPercent: 100,
  lateFeeMinFen: 100,
  holdEstimated: true,
  holdMissing: true,
  holdAboveFen: null,
};

/** The tenant's billing settings (the defaults until an administrator saves them). */
export async function billingSettings(tx: Tx): Promise<BillingSettings> {
  const [row] = await tx.execute<BillingSettings>(sql`
    select allocation_order as "allocationOrder", due_days as "dueDays",
      late_fee_per_mille_per_day::float8 as "lateFeePerMillePerDay", late_fee_grace_days as "lateFeeGraceDays",
      late_fee_cap_percent::float8 as "lateFeeCapPercent", late_fee_min_fen::float8 as "lateFeeMinFen",
      hold_estimated as "holdEstimated", hold_missing as "holdMissing", hold_above_fen::float8 as "holdAboveFen"
    from billing_settings`);
  return row ?? DEFAULT_BILLING_SETTINGS;
}

export async function saveBillingSettings(
  tx: Tx,
  tenantId: string,
  s: BillingSettings,
): Promise<BillingSettings> {
  await tx.execute(sql`
    insert into billing_settings (tenant_id, allocation_order, due_days, late_fee_per_mille_per_day,
      late_fee_grace_days, late_fee_cap_percent, late_fee_min_fen, hold_estimated, hold_missing, hold_above_fen)
    values (${tenantId}, ${`{${s.allocationOrder.join(',')}}`}::text[], ${s.dueDays}, ${String(s.lateFeePerMillePerDay)}::numeric,
      ${s.lateFeeGraceDays}, ${String(s.lateFeeCapPercent)}::numeric, ${s.lateFeeMinFen}, ${s.holdEstimated},
      ${s.holdMissing}, ${s.holdAboveFen})
    on conflict (tenant_id) do update set allocation_order = excluded.allocation_order,
      due_days = excluded.due_days, late_fee_per_mille_per_day = excluded.late_fee_per_mille_per_day,
      late_fee_grace_days = excluded.late_fee_grace_days, late_fee_cap_percent = excluded.late_fee_cap_percent,
      late_fee_min_fen = excluded.late_fee_min_fen, hold_estimated = excluded.hold_estimated,
      hold_missing = excluded.hold_missing, hold_above_fen = excluded.hold_above_fen, updated_at = now()`);
  return await billingSettings(tx);
}
