-- The ledger's write path, leaner for the daily prepaid deduction (docs/decisions/0030-prepaid-deduction.md,
-- "Update: a leaner ledger write"). A deduction posts one entry per prepaid meter and day, a
-- million a day for a million accounts; every per-row trigger on ledger_entries is paid that often.
-- 1. ledger_entries → accounts: the per-row foreign-key check took 20–25 % of a 25,000-posting insert
--    (EXPLAIN ANALYZE; it also share-locks every account row it checks). It repeats a guarantee the
--    ledger already has: the statement trigger ledger_entries_balances upserts account_balances for
--    every account of every inserted entry, in the same statement, and account_balances keeps its
--    foreign key to accounts — a new account's balance row is checked there (an entry for a missing
--    account still fails, with 23503, and rolls the whole statement back); an existing balance row
--    proves the account exists and keeps it from being deleted. Backups still load ledger_entries
--    after accounts (services/backup/catalogue.ts IMPLIED_REFS).
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_account_fk";--> statement-breakpoint
-- 2. account_balances is updated in place for every posting of an account that has a balance row:
--    room on each page lets those updates stay heap-only (no new primary-key entry per update).
--    Applies to pages written from now on; an existing table takes it at its next rewrite
--    (VACUUM FULL or pg_repack, docs/operations.md).
ALTER TABLE "account_balances" SET (fillfactor = 80);
--> statement-breakpoint
-- 3. prepaid_dirty → tenants: checked per marked account (70 ms of a 25,000-posting deduction batch).
--    Every mark is made from a row of the same tenant that exists — a ledger entry of an account of
--    the tenant (the statement trigger), a prepaid account (markDirty) or a meter (the command
--    trigger) — as 0020 reasoned for the tenant keys of bills and ledger_entries.
ALTER TABLE "prepaid_dirty" DROP CONSTRAINT "prepaid_dirty_tenant_id_fkey";
