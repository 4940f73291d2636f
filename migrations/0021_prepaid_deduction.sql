-- Prepaid daily deduction (docs/decisions/0030-prepaid-deduction.md): one run row per tenant and
-- day, the tenant's deduction settings, the unlogged staging of a run's month-to-date usage, and an
-- index that finds a meter's deductions of a month without reading the rest of the ledger.
CREATE TABLE "prepaid_deduction_runs" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  -- the day whose usage is deducted (the tenant's calendar day)
  "day" date NOT NULL,
  "status" text NOT NULL DEFAULT 'queued' CHECK ("status" IN ('queued', 'running', 'done', 'failed')),
  -- meters, postings, fen (sum of what the run charged), failed (meters without a price)
  "progress" jsonb NOT NULL DEFAULT '{}',
  "error" text,
  "created_by" uuid,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "started_at" timestamp with time zone,
  "finished_at" timestamp with time zone,
  CONSTRAINT "prepaid_deduction_runs_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "prepaid_deduction_runs_day_uq" UNIQUE ("tenant_id", "day")
);--> statement-breakpoint
CREATE TABLE "prepaid_deduction_settings" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "mode" text NOT NULL DEFAULT 'daily' CHECK ("mode" IN ('daily', 'per-reading')),
  -- local time (QUADMETER_TIMEZONE) the daily run starts, for the previous day
  "run_at" time NOT NULL DEFAULT '01:00',
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "prepaid_deduction_settings_pk" PRIMARY KEY ("tenant_id")
);--> statement-breakpoint
-- A meter's deductions by day: what a period-to-date computation subtracts. Partial: only
-- deduction postings (business key deduct:…) carry it.
CREATE INDEX "ledger_entries_deduct_idx" ON "ledger_entries" ("tenant_id", "meter_id", "occurred_on")
  INCLUDE ("amount_fen", "category") WHERE "business_key" LIKE 'deduct:%';--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['prepaid_deduction_runs', 'prepaid_deduction_settings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = (SELECT app_tenant_id())) WITH CHECK (tenant_id = (SELECT app_tenant_id()))', t);
  END LOOP;
  GRANT SELECT, INSERT, UPDATE ON prepaid_deduction_runs, prepaid_deduction_settings TO quadmeter_app;
END $$;
