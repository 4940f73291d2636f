-- Postpaid bills (docs/decisions/0022): a bill run bills the accounts of an area or the tenant for
-- one period; each account gets at most one live bill per period (a unique key, not a hope);
-- every bill line keeps what explains it (readings and their sources, tariff version, tier/band,
-- price). A cancelled bill stays, with the reversal entries that undid its ledger charges.
CREATE TABLE "bill_runs" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  -- null: the whole tenant
  "area_id" uuid,
  "period_from" date NOT NULL,
  -- exclusive
  "period_to" date NOT NULL,
  "status" text NOT NULL DEFAULT 'queued'
    CHECK ("status" IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  -- { total, billed, held, skipped, failed } as the run goes
  "progress" jsonb NOT NULL DEFAULT '{}',
  -- when estimated or missing readings hold a bill for review (billing settings at creation)
  "options" jsonb NOT NULL DEFAULT '{}',
  "error" text,
  "created_by" uuid,
  "created_by_name" text NOT NULL DEFAULT '',
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "started_at" timestamp with time zone,
  "finished_at" timestamp with time zone,
  CONSTRAINT "bill_runs_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "bill_runs_period_ck" CHECK ("period_to" > "period_from")
);--> statement-breakpoint
CREATE INDEX "bill_runs_list_idx" ON "bill_runs" ("tenant_id", "created_at" DESC, "id" DESC);--> statement-breakpoint
CREATE TABLE "bills" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "number" text,
  "run_id" uuid,
  "account_id" uuid NOT NULL,
  "area_id" uuid NOT NULL,
  "period_from" date NOT NULL,
  "period_to" date NOT NULL,
  -- held: waiting for review (estimated/missing readings); issued: charges posted to the ledger;
  -- cancelled: its charges reversed (a re-bill is a new bill that names this one in "replaces")
  "status" text NOT NULL CHECK ("status" IN ('held', 'issued', 'cancelled')),
  "hold_reasons" text[] NOT NULL DEFAULT '{}',
  "total_fen" bigint NOT NULL,
  "due_date" date,
  "replaces" uuid,
  "issued_at" timestamp with time zone,
  "cancelled_at" timestamp with time zone,
  "cancel_reason" text,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "bills_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "bills_account_fk" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts" ("tenant_id", "id"),
  CONSTRAINT "bills_run_fk" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "bill_runs" ("tenant_id", "id"),
  CONSTRAINT "bills_replaces_fk" FOREIGN KEY ("tenant_id", "replaces") REFERENCES "bills" ("tenant_id", "id"),
  CONSTRAINT "bills_period_ck" CHECK ("period_to" > "period_from")
);--> statement-breakpoint
-- exactly once: one live bill per account and period
CREATE UNIQUE INDEX "bills_once_uq" ON "bills" ("tenant_id", "account_id", "period_from")
  WHERE "status" <> 'cancelled';--> statement-breakpoint
CREATE INDEX "bills_run_idx" ON "bills" ("tenant_id", "run_id") WHERE "run_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "bills_account_idx" ON "bills" ("tenant_id", "account_id", "period_from" DESC);--> statement-breakpoint
CREATE INDEX "bills_list_idx" ON "bills" ("tenant_id", "period_from" DESC, "id" DESC);--> statement-breakpoint
CREATE INDEX "bills_held_idx" ON "bills" ("tenant_id", "created_at") WHERE "status" = 'held';--> statement-breakpoint
CREATE TABLE "bill_lines" (
  "tenant_id" uuid NOT NULL,
  "bill_id" uuid NOT NULL,
  "line_no" smallint NOT NULL,
  "meter_id" uuid,
  -- usage, fixed, minimum, adjustment, … (what allocation orders by)
  "category" text NOT NULL,
  -- the tariff component or charge name and the tier / TOU band that priced it
  "component" text NOT NULL,
  "label" text NOT NULL DEFAULT '',
  "tier" smallint,
  "band" text,
  "quantity" numeric(20, 6),
  "unit" text,
  "price" numeric(16, 6),
  "amount_fen" bigint NOT NULL,
  "tariff_version_id" uuid,
  "segment_from" date,
  "segment_to" date,
  -- why this amount: the readings it came from ({ id, ts, value, source }), estimate flags, …
  "explain" jsonb NOT NULL DEFAULT '{}',
  CONSTRAINT "bill_lines_pk" PRIMARY KEY ("tenant_id", "bill_id", "line_no"),
  CONSTRAINT "bill_lines_bill_fk" FOREIGN KEY ("tenant_id", "bill_id") REFERENCES "bills" ("tenant_id", "id")
);--> statement-breakpoint
-- per-tenant billing policy (defaults follow ../shared/BILLING.md §2.3: residential late fee 1‰ per
-- day of the overdue amount, minimum 1 元)
CREATE TABLE "billing_settings" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  -- how a payment settles what is owed: categories in order, oldest first within each
  "allocation_order" text[] NOT NULL DEFAULT '{arrears,late_fee,fixed,usage}',
  "due_days" smallint NOT NULL DEFAULT 15 CHECK ("due_days" BETWEEN 0 AND 365),
  "late_fee_per_mille_per_day" numeric(7, 3) NOT NULL DEFAULT 1 CHECK ("late_fee_per_mille_per_day" BETWEEN 0 AND 100),
  "late_fee_grace_days" smallint NOT NULL DEFAULT 0 CHECK ("late_fee_grace_days" BETWEEN 0 AND 365),
  -- late fees on one bill never exceed this share of its overdue amount (percent)
  "late_fee_cap_percent" numeric(6, 2) NOT NULL DEFAULT 100 CHECK ("late_fee_cap_percent" BETWEEN 0 AND 1000),
  "late_fee_min_fen" bigint NOT NULL DEFAULT 100 CHECK ("late_fee_min_fen" BETWEEN 0 AND 100000000),
  -- hold a bill for review when a reading it used was estimated / when a meter's reading is missing
  "hold_estimated" boolean NOT NULL DEFAULT true,
  "hold_missing" boolean NOT NULL DEFAULT true,
  -- hold bills whose total exceeds this (null: never)
  "hold_above_fen" bigint CHECK ("hold_above_fen" >= 0),
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "billing_settings_pk" PRIMARY KEY ("tenant_id")
);--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['bill_runs','bills','bill_lines','billing_settings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO quadmeter_app', t);
  END LOOP;
END $$;
