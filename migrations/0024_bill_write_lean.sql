-- The bill run's write path, leaner (docs/decisions/0025-bill-runs.md, "Update: a leaner write").
-- A monthly run writes a bill, one to three lines and a ledger charge per account; every index
-- entry and every per-row foreign-key trigger on those tables is paid a million times a month.
-- Measured on one 5,000-account chunk (EXPLAIN ANALYZE): the foreign-key triggers took 40 % of the
-- write statement. The checks kept guard what can still go wrong (the account of a bill or entry);
-- those dropped repeat what the schema already guarantees:
-- 1. bill_lines → bills: lines are written only in the statement that inserts their bill, joined to
--    the bills it inserted; bills are never deleted (cancelled is a status).
ALTER TABLE "bill_lines" DROP CONSTRAINT "bill_lines_bill_fk";--> statement-breakpoint
-- 2. bills → bill_runs: a run's bills are written by the run's worker, which holds the run row;
--    runs are never deleted (cancelled, done and failed are statuses).
ALTER TABLE "bills" DROP CONSTRAINT "bills_run_fk";--> statement-breakpoint
-- 3. ledger_entries → ledger_entries (reverses): fires (as a no-op) for every entry that reverses
--    nothing; a reversal is posted after reading the entry it reverses, and entries are immutable
--    and never deleted (ledger_entries_immutable), so the entry named exists.
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_reverses_fk";--> statement-breakpoint
-- 4. No query looks bills up by run (the run console counts progress on bill_runs).
DROP INDEX "bills_run_idx";--> statement-breakpoint
-- 5. The prepaid statement trigger on ledger_entries probes, per new entry, whether its account was
--    ever prepaid: a partial index holding only prepaid modes answers that from a few pages, so a
--    postpaid run's charges cost it next to nothing.
CREATE INDEX "account_billing_modes_prepaid_idx" ON "account_billing_modes" ("tenant_id", "account_id")
  WHERE "mode" = 'prepaid';
--> statement-breakpoint
-- 6. A run stages, when it starts, everything its chunks price — each account's area, plans and
--    facts, each meter and its usage in the period — in one set-based statement (hash joins over
--    the tables instead of five index probes per account and chunk), written in account order, so
--    a chunk reads its accounts from a few neighbouring pages. It replaces bill_run_usage (usage
--    only); same rules: UNLOGGED scratch data, one attempt id per execution, dropped when the run ends.
--    meter_id is null for an account without a meter (the run records it as a failure).
DROP TABLE "bill_run_usage";--> statement-breakpoint
CREATE UNLOGGED TABLE "bill_run_input" (
  "tenant_id" uuid NOT NULL,
  "attempt_id" uuid NOT NULL,
  "run_id" uuid NOT NULL,
  "account_id" uuid NOT NULL,
  "area_id" uuid NOT NULL,
  "tariff_plans" jsonb NOT NULL,
  "low_income" boolean NOT NULL,
  "household_size" text,
  "heated_area" text,
  "meter_id" uuid,
  "meter_kind" text,
  "usage" numeric
);--> statement-breakpoint
CREATE INDEX "bill_run_input_idx" ON "bill_run_input" ("tenant_id", "attempt_id", "account_id");--> statement-breakpoint
ALTER TABLE "bill_run_input" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "bill_run_input" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "bill_run_input" USING (tenant_id = (SELECT app_tenant_id())) WITH CHECK (tenant_id = (SELECT app_tenant_id()));--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "bill_run_input" TO quadmeter_app;
