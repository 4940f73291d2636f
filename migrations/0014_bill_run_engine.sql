-- Bill run engine (docs/decisions/0025): at most one full run queued or running per tenant, period
-- and area (re-bill runs, which name their accounts in options.accountIds, are exempt), and the
-- accounts a run could not bill with the reasons the admin shows. A restarted run upserts the same
-- failure row, so the list never counts an account twice.
CREATE UNIQUE INDEX "bill_runs_active_uq" ON "bill_runs" (
  "tenant_id", "period_from", "period_to", coalesce("area_id", '00000000-0000-0000-0000-000000000000'::uuid))
  WHERE "status" IN ('queued', 'running') AND NOT ("options" ? 'accountIds');--> statement-breakpoint
CREATE TABLE "bill_run_failures" (
  "tenant_id" uuid NOT NULL,
  "run_id" uuid NOT NULL,
  "account_id" uuid NOT NULL,
  -- no-meter, no-plan:<meter kind>, no-tariff:<plan code>, or an error code of the tariff engine
  "reasons" text[] NOT NULL,
  "at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "bill_run_failures_pk" PRIMARY KEY ("tenant_id", "run_id", "account_id"),
  CONSTRAINT "bill_run_failures_run_fk" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "bill_runs" ("tenant_id", "id")
);--> statement-breakpoint
ALTER TABLE "bill_run_failures" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "bill_run_failures" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "bill_run_failures" USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "bill_run_failures" TO quadmeter_app;
