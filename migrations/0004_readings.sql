-- Readings (custom migration: drizzle-kit cannot express declarative partitioning). One narrow
-- table partitioned by month, keyed (tenant_id, meter_id, kind, ts); the main register's value in
-- `value`, other registers in `registers`; quality and validation flags in `flags`.
-- kind: 1 realtime, 2 daily frozen, 3 monthly frozen, 4 manual, 5 estimated.
CREATE TABLE "readings" (
  "tenant_id" uuid NOT NULL,
  "meter_id" uuid NOT NULL,
  "kind" smallint NOT NULL,
  "ts" timestamp with time zone NOT NULL,
  "value" numeric,
  "registers" jsonb,
  "flags" text[],
  "status" bigint,
  "status_protocol" text,
  "received_at" timestamp with time zone NOT NULL,
  "idem_key" text NOT NULL,
  CONSTRAINT "readings_pk" PRIMARY KEY ("tenant_id", "meter_id", "kind", "ts")
) PARTITION BY RANGE ("ts");--> statement-breakpoint
-- Idempotency keys of stored readings (md5 of the transport's key as a uuid), so a replay is a
-- duplicate even when it carries another measuredAt; kept for a retention window, then pruned.
CREATE TABLE "reading_keys" (
  "tenant_id" uuid NOT NULL,
  "key" uuid NOT NULL,
  "seen_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "reading_keys_pk" PRIMARY KEY ("tenant_id", "key")
);--> statement-breakpoint
CREATE INDEX "reading_keys_seen_idx" ON "reading_keys" ("seen_at");--> statement-breakpoint
-- The latest reading of each meter with a main-register value: where the next in-order reading's
-- consumption starts. Its row is locked while a batch updates the meter's rollups.
CREATE TABLE "reading_state" (
  "tenant_id" uuid NOT NULL,
  "meter_id" uuid NOT NULL,
  "ts" timestamp with time zone,
  "kind" smallint,
  "value" numeric,
  CONSTRAINT "reading_state_pk" PRIMARY KEY ("tenant_id", "meter_id")
) WITH (fillfactor = 70);--> statement-breakpoint
-- The state and rollup rows are updated by every batch: free space in each page (fillfactor) keeps
-- those updates HOT (no index entry per update).
-- Consumption of the main register per meter and day / month (the tenant's zone). The interval
-- between two consecutive readings belongs to the day of its end (an end at midnight: the day before).
CREATE TABLE "consumption_daily" (
  "tenant_id" uuid NOT NULL,
  "meter_id" uuid NOT NULL,
  "day" date NOT NULL,
  "usage" numeric NOT NULL DEFAULT 0,
  "readings" integer NOT NULL DEFAULT 0,
  "rolled_over" boolean NOT NULL DEFAULT false,
  CONSTRAINT "consumption_daily_pk" PRIMARY KEY ("tenant_id", "meter_id", "day")
) WITH (fillfactor = 70);--> statement-breakpoint
CREATE TABLE "consumption_monthly" (
  "tenant_id" uuid NOT NULL,
  "meter_id" uuid NOT NULL,
  "month" date NOT NULL,
  "usage" numeric NOT NULL DEFAULT 0,
  "readings" integer NOT NULL DEFAULT 0,
  "rolled_over" boolean NOT NULL DEFAULT false,
  CONSTRAINT "consumption_monthly_pk" PRIMARY KEY ("tenant_id", "meter_id", "month")
) WITH (fillfactor = 70);--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['readings','reading_keys','reading_state','consumption_daily','consumption_monthly'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO quadmeter_app', t);
  END LOOP;
END $$;--> statement-breakpoint
-- The month partition holding `month` (any day of it), created when missing. SECURITY DEFINER so
-- the ingest path can call it; partitions belong to the migrating role and are closed to
-- quadmeter_app (reached only through the parent, whose policies apply). Bounds are UTC months.
CREATE FUNCTION readings_ensure_partition(month date) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  start date := date_trunc('month', month)::date;
  name text := 'readings_' || to_char(start, 'YYYYMM');
BEGIN
  IF to_regclass(format('public.%I', name)) IS NOT NULL THEN RETURN false; END IF;
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF readings FOR VALUES FROM (%L) TO (%L)',
    name, start::text || ' 00:00:00+00', (start + interval '1 month')::date::text || ' 00:00:00+00');
  RETURN true;
EXCEPTION WHEN duplicate_table OR unique_violation THEN
  RETURN false;
END $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION readings_ensure_partition(date) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION readings_ensure_partition(date) TO quadmeter_app;--> statement-breakpoint
SELECT readings_ensure_partition((date_trunc('month', now()) + make_interval(months => m))::date)
  FROM generate_series(-1, 3) AS m;--> statement-breakpoint
-- The device registry resolves routes and concentrators across tenants on the system path, which
-- runs as the owning role; FORCE RLS binds that role too, so the tables the registry reads get a
-- read-only policy for whoever holds the table owner's privileges (whatever role owns the table
-- now, e.g. after an adopted database changed hands). quadmeter_app (every tenant transaction) does
-- not hold them and stays bound by tenant_isolation alone.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['meter_routes','meters','concentrators','plugin_settings'] LOOP
    EXECUTE format('CREATE POLICY device_registry ON %I AS PERMISSIVE FOR SELECT USING (
      pg_catalog.pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = %L::regclass), ''USAGE''))',
      t, t);
  END LOOP;
END $$;--> statement-breakpoint
CREATE INDEX "meter_routes_resolve_idx" ON "meter_routes" ("via", "address", "line");--> statement-breakpoint
CREATE INDEX "concentrators_resolve_idx" ON "concentrators" ("a1", "a2");
