-- Statistics rollups (docs/decisions/0040): what the operator's dashboard and the statistics pages
-- read, so no question is answered by scanning the raw readings. Each is rebuilt for a window of days
-- (or, for arrears, for the tenant) from the per-meter rollups and the task/ledger tables by the
-- stats refresh job (services/analysis/stats/refresh.ts); a rebuild replaces its window whole.
-- Consumption of the main register per day, area (the meter's), meter kind and customer type.
CREATE TABLE "stats_consumption_daily" (
  "tenant_id" uuid NOT NULL,
  "day" date NOT NULL,
  "area_id" uuid NOT NULL,
  "meter_kind" text NOT NULL,
  -- the customer type of the meter's account ('' for a meter without an account)
  "customer_type" text NOT NULL,
  "usage" numeric NOT NULL DEFAULT 0,
  "meters" integer NOT NULL DEFAULT 0,
  CONSTRAINT "stats_consumption_daily_pk" PRIMARY KEY ("tenant_id", "day", "area_id", "meter_kind", "customer_type"),
  CONSTRAINT "stats_consumption_daily_area_fk" FOREIGN KEY ("tenant_id", "area_id") REFERENCES "areas" ("tenant_id", "id") ON DELETE CASCADE
);--> statement-breakpoint
-- Reading outcomes per day (the task's creation day), area, concentrator and line.
CREATE TABLE "stats_reading_daily" (
  "tenant_id" uuid NOT NULL,
  "day" date NOT NULL,
  "area_id" uuid NOT NULL,
  -- the nil uuid / '' when the meter was not read through a concentrator / line
  "concentrator_id" uuid NOT NULL,
  "line" text NOT NULL,
  "attempted" integer NOT NULL DEFAULT 0,
  "succeeded" integer NOT NULL DEFAULT 0,
  CONSTRAINT "stats_reading_daily_pk" PRIMARY KEY ("tenant_id", "day", "area_id", "concentrator_id", "line"),
  CONSTRAINT "stats_reading_daily_area_fk" FOREIGN KEY ("tenant_id", "area_id") REFERENCES "areas" ("tenant_id", "id") ON DELETE CASCADE
);--> statement-breakpoint
-- Arrears per account in arrears, aged by the business date of the unsettled debits (fen).
CREATE TABLE "stats_arrears" (
  "tenant_id" uuid NOT NULL,
  "account_id" uuid NOT NULL,
  "area_id" uuid NOT NULL,
  "arrears_fen" bigint NOT NULL,
  "d0_30_fen" bigint NOT NULL DEFAULT 0,
  "d31_90_fen" bigint NOT NULL DEFAULT 0,
  "d91_180_fen" bigint NOT NULL DEFAULT 0,
  "d181_fen" bigint NOT NULL DEFAULT 0,
  "as_of" date NOT NULL,
  CONSTRAINT "stats_arrears_pk" PRIMARY KEY ("tenant_id", "account_id"),
  CONSTRAINT "stats_arrears_account_fk" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts" ("tenant_id", "id") ON DELETE CASCADE
);--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['stats_consumption_daily','stats_reading_daily','stats_arrears'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO quadmeter_app', t);
  END LOOP;
END $$;
