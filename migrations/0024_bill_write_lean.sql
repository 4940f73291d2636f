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
