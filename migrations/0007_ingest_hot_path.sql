-- The ingest hot path (decision record 0015). Hand-written, like 0004.
--
-- 1. The idempotency key moves into readings: every month partition gets a unique index on
--    (tenant_id, md5(idem_key)::uuid), so a replay with the same key and another measuredAt within
--    the month is a conflict of the readings insert itself (ON CONFLICT DO NOTHING) and no
--    reading_keys row is written for it. reading_keys now only holds the keys of readings near a
--    partition bound (a replay could land in the neighbouring month), and is pruned as before.
--    A unique index cannot be declared on the partitioned parent without the partition key, so
--    readings_ensure_partition creates it with each partition.
CREATE OR REPLACE FUNCTION readings_ensure_partition(month date) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  start date := date_trunc('month', month)::date;
  name text := 'readings_' || to_char(start, 'YYYYMM');
BEGIN
  IF to_regclass(format('public.%I', name)) IS NOT NULL THEN RETURN false; END IF;
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF readings FOR VALUES FROM (%L) TO (%L)',
    name, start::text || ' 00:00:00+00', (start + interval '1 month')::date::text || ' 00:00:00+00');
  EXECUTE format('CREATE UNIQUE INDEX IF NOT EXISTS %I ON %I (tenant_id, (md5(idem_key)::uuid))',
    name || '_key', name);
  RETURN true;
EXCEPTION WHEN duplicate_table OR unique_violation THEN
  RETURN false;
END $$;--> statement-breakpoint
DO $$
DECLARE p text;
BEGIN
  FOR p IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'public.readings'::regclass LOOP
    EXECUTE format('CREATE UNIQUE INDEX IF NOT EXISTS %I ON %I (tenant_id, (md5(idem_key)::uuid))', p || '_key', p);
  END LOOP;
END $$;--> statement-breakpoint
-- 2. Row-level security without a function call per row on the ingest path: the tenant of the
--    transaction and the device registry's owner check are scalar subqueries, which PostgreSQL
--    evaluates once per statement (an InitPlan) instead of once per row checked.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['readings','reading_keys','reading_state','consumption_daily','consumption_monthly'] LOOP
    EXECUTE format('DROP POLICY tenant_isolation ON %I', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = (SELECT app_tenant_id())) WITH CHECK (tenant_id = (SELECT app_tenant_id()))', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['meter_routes','meters','concentrators','plugin_settings'] LOOP
    EXECUTE format('DROP POLICY device_registry ON %I', t);
    EXECUTE format('CREATE POLICY device_registry ON %I AS PERMISSIVE FOR SELECT USING ((
      SELECT pg_catalog.pg_has_role(current_user, c.relowner, ''USAGE'') FROM pg_catalog.pg_class c WHERE c.oid = %L::regclass))',
      t, t);
  END LOOP;
END $$;
