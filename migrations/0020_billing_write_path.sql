-- The bill run's write path (docs/decisions/0025-bill-runs.md, "Speed"): a run writes a bill, its
-- lines and its ledger charges per account, so every index entry and foreign-key check on those
-- tables is paid a million times a month.
-- 1. The tenant foreign keys of bills and ledger_entries repeat what their (tenant_id, account_id)
--    keys to accounts already guarantee: an account exists only in an existing tenant.
ALTER TABLE "bills" DROP CONSTRAINT "bills_tenant_id_fkey";--> statement-breakpoint
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_tenant_id_fkey";--> statement-breakpoint
-- 2. Only reversals name the entry they reverse: the "reversed at most once" index need not hold an
--    entry for every other row.
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_reverses_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_reverses_uq" ON "ledger_entries" ("tenant_id", "reverses") WHERE "reverses" IS NOT NULL;
--> statement-breakpoint
-- 3. Each meter's usage in the run's period, summed from consumption_daily in one set-based pass
--    when the run starts (a scan of the month's rows instead of an index probe per meter and day:
--    daily rows are written day by day, so one meter's month lies on some thirty pages). Scratch
--    data: UNLOGGED (no WAL). Each execution of a run (a start, a resume, a second process resuming
--    the same run) stages under its own attempt id, so no execution ever reads or deletes another's;
--    the run's rows go when it ends.
CREATE UNLOGGED TABLE "bill_run_usage" (
  "tenant_id" uuid NOT NULL,
  "attempt_id" uuid NOT NULL,
  "run_id" uuid NOT NULL,
  "meter_id" uuid NOT NULL,
  "usage" numeric NOT NULL,
  CONSTRAINT "bill_run_usage_pk" PRIMARY KEY ("tenant_id", "attempt_id", "meter_id")
);--> statement-breakpoint
ALTER TABLE "bill_run_usage" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "bill_run_usage" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "bill_run_usage" USING (tenant_id = (SELECT app_tenant_id())) WITH CHECK (tenant_id = (SELECT app_tenant_id()));--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "bill_run_usage" TO quadmeter_app;
