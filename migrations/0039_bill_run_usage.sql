-- A bill run stages its input as two statements at once, on two connections (docs/decisions/0025-bill-runs.md,
-- "Update: staging on two connections"): the period's usage per meter — the scan and hash aggregate of
-- every daily row — into bill_run_usage, while the accounts side (pending accounts, modes, facts,
-- meters) goes into bill_run_input. Each statement runs on one core; together they take the longer of
-- the two instead of their sum. Both are written in account order: a chunk reads its meters' usage
-- as one range of the index. Same rules as bill_run_input: UNLOGGED scratch data under one attempt id
-- per execution, dropped when the run ends.
CREATE UNLOGGED TABLE "bill_run_usage" (
  "tenant_id" uuid NOT NULL,
  "attempt_id" uuid NOT NULL,
  "run_id" uuid NOT NULL,
  "account_id" uuid NOT NULL,
  "meter_id" uuid NOT NULL,
  "usage" numeric
);--> statement-breakpoint
CREATE INDEX "bill_run_usage_idx" ON "bill_run_usage" ("tenant_id", "attempt_id", "account_id");--> statement-breakpoint
ALTER TABLE "bill_run_usage" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "bill_run_usage" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "bill_run_usage" USING (tenant_id = (SELECT app_tenant_id())) WITH CHECK (tenant_id = (SELECT app_tenant_id()));--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "bill_run_usage" TO quadmeter_app;--> statement-breakpoint
ALTER TABLE "bill_run_input" DROP COLUMN "usage";
