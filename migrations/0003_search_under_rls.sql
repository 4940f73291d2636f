-- Search under FORCE row-level security (docs/decisions/0010-search-under-rls.md).
-- Under RLS only LEAKPROOF operators become index conditions, and LIKE / ILIKE are not, so the
-- trigram indexes of 0002 were never used by tenant queries. Search keys now live in side tables
-- that the app role cannot read; SECURITY DEFINER functions owned by the migration owner search
-- them for the tenant of app_tenant_id() only and return ids, which the RLS'd list query joins.
-- Keys spell every character beyond ASCII in ASCII, so pg_trgm sees trigrams in Chinese text even
-- under a C locale.
DROP INDEX IF EXISTS "meters_asset_trgm";--> statement-breakpoint
DROP INDEX IF EXISTS "meters_comm_trgm";--> statement-breakpoint
DROP INDEX IF EXISTS "customers_name_trgm";--> statement-breakpoint
DROP INDEX IF EXISTS "customers_number_trgm";--> statement-breakpoint
DROP INDEX IF EXISTS "customers_address_trgm";--> statement-breakpoint
DROP INDEX IF EXISTS "customers_phone_trgm";--> statement-breakpoint
CREATE INDEX "meters_area_kind_status_idx" ON "meters" USING btree ("tenant_id","area_id","kind","status","asset_no");--> statement-breakpoint
CREATE INDEX "customers_name_idx" ON "customers" USING btree ("tenant_id","name","id");--> statement-breakpoint
CREATE INDEX "customers_created_idx" ON "customers" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_target_idx" ON "audit_log" USING btree ("tenant_id","target_type","target_id","at");--> statement-breakpoint
-- The search key of a text, in C functions only (about 8 µs for a Chinese address): NFKC, lower
-- case, ASCII digits spelled A–J and backslashes dropped, then the UTF-8 bytes with every byte
-- beyond ASCII written as Q + three octal digits (bytea 'escape'). Keys are pure ASCII, so pg_trgm
-- finds trigrams in Chinese under any locale (under C, show_trgm of Chinese text is empty). Raw
-- digits and Q occur only inside these byte spellings, and UTF-8 is self-synchronising, so a key
-- fragment made of whole characters matches only on character boundaries.
CREATE FUNCTION search_key(s text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT replace(encode(convert_to(translate(lower(normalize(s, NFKC)), '0123456789\', 'ABCDEFGHIJ'),
    'UTF8'), 'escape'), '\', 'Q')
$$;--> statement-breakpoint
-- A LIKE pattern matching keys that contain the key of q (% and _ in q match themselves).
CREATE FUNCTION search_pattern(q text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT '%' || replace(replace(replace(search_key(q), '\', '\\'), '%', '\%'), '_', '\_') || '%'
$$;--> statement-breakpoint
CREATE TABLE "meter_search" (
	"tenant_id" uuid NOT NULL,
	"meter_id" uuid NOT NULL,
	"key" text NOT NULL,
	CONSTRAINT "meter_search_pk" PRIMARY KEY("tenant_id","meter_id"),
	CONSTRAINT "meter_search_meter_fk" FOREIGN KEY ("tenant_id","meter_id") REFERENCES "public"."meters"("tenant_id","id") ON DELETE cascade
);--> statement-breakpoint
CREATE TABLE "customer_search" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"number_key" text NOT NULL,
	"name_key" text NOT NULL,
	"address_key" text NOT NULL,
	"phone_key" text NOT NULL,
	CONSTRAINT "customer_search_pk" PRIMARY KEY("tenant_id","customer_id"),
	CONSTRAINT "customer_search_customer_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE cascade
);--> statement-breakpoint
CREATE INDEX "meter_search_key_trgm" ON "meter_search" USING gin ("key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_search_number_trgm" ON "customer_search" USING gin ("number_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_search_name_trgm" ON "customer_search" USING gin ("name_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_search_address_trgm" ON "customer_search" USING gin ("address_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_search_phone_trgm" ON "customer_search" USING gin ("phone_key" gin_trgm_ops);--> statement-breakpoint
-- Closed to the app role (no grants); row-level security is enabled with the tenant policy as a
-- second lock, but not forced: the owner (the search functions below) reads across it and filters
-- by app_tenant_id() itself, which lets the LIKE reach the trigram index.
ALTER TABLE "meter_search" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "customer_search" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "meter_search" USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());--> statement-breakpoint
CREATE POLICY tenant_isolation ON "customer_search" USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());--> statement-breakpoint
REVOKE ALL ON "meter_search", "customer_search" FROM PUBLIC;--> statement-breakpoint
CREATE FUNCTION meter_search_key(asset_no text, comm_address text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(search_key(asset_no), '') || chr(10) || coalesce(search_key(comm_address), '')
$$;--> statement-breakpoint
-- Statement-level triggers with transition tables: a bulk insert of 100k meters costs one
-- INSERT … SELECT here, and an update touches the keys only of rows whose searched columns changed.
CREATE FUNCTION meter_search_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO meter_search (tenant_id, meter_id, key)
      SELECT n.tenant_id, n.id, meter_search_key(n.asset_no, n.comm_address) FROM new_rows n
      ON CONFLICT (tenant_id, meter_id) DO UPDATE SET key = excluded.key;
  ELSE
    UPDATE meter_search s SET key = meter_search_key(n.asset_no, n.comm_address)
      FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
      WHERE s.tenant_id = n.tenant_id AND s.meter_id = n.id
        AND (n.asset_no, n.comm_address) IS DISTINCT FROM (o.asset_no, o.comm_address);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION customer_search_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO customer_search (tenant_id, customer_id, number_key, name_key, address_key, phone_key)
      SELECT n.tenant_id, n.id, search_key(n.number), search_key(n.name),
        coalesce(search_key(n.address), ''), coalesce(search_key(n.phone), '') FROM new_rows n
      ON CONFLICT (tenant_id, customer_id) DO UPDATE SET number_key = excluded.number_key,
        name_key = excluded.name_key, address_key = excluded.address_key, phone_key = excluded.phone_key;
  ELSE
    UPDATE customer_search s SET number_key = search_key(n.number), name_key = search_key(n.name),
        address_key = coalesce(search_key(n.address), ''), phone_key = coalesce(search_key(n.phone), '')
      FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
      WHERE s.tenant_id = n.tenant_id AND s.customer_id = n.id
        AND (n.number, n.name, n.address, n.phone) IS DISTINCT FROM (o.number, o.name, o.address, o.phone);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER meter_search_insert AFTER INSERT ON meters REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION meter_search_sync();--> statement-breakpoint
CREATE TRIGGER meter_search_update AFTER UPDATE ON meters REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION meter_search_sync();--> statement-breakpoint
CREATE TRIGGER customer_search_insert AFTER INSERT ON customers REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_search_sync();--> statement-breakpoint
CREATE TRIGGER customer_search_update AFTER UPDATE ON customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION customer_search_sync();--> statement-breakpoint
-- Ids of the current tenant's meters whose asset number or communication address contains q, at
-- most lim of them (the caller asks for one more than it will take, to know when there are more).
-- The tenant comes from the same setting as the RLS policies; without one nothing is found.
CREATE FUNCTION meter_search_ids(q text, lim integer) RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE t uuid := app_tenant_id();
BEGIN
  IF t IS NULL OR q IS NULL OR lim IS NULL THEN RETURN; END IF;
  RETURN QUERY EXECUTE 'SELECT meter_id FROM meter_search WHERE tenant_id = $1 AND key LIKE $2 LIMIT $3'
    USING t, search_pattern(q), lim;
END $$;--> statement-breakpoint
-- Customers of the current tenant whose field contains q. field: number, name, address, phone
-- (fragment), phone= (the whole phone), any (number, name or address fragment, or the whole
-- phone) and any+phone (a phone fragment too). Whether an actor may search phone fragments is the
-- caller's decision (customers.pii).
CREATE FUNCTION customer_search_ids(field text, q text, lim integer) RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  t uuid := app_tenant_id();
  cond text;
BEGIN
  IF t IS NULL OR q IS NULL OR lim IS NULL THEN RETURN; END IF;
  cond := CASE field
    WHEN 'number' THEN 'number_key LIKE $2'
    WHEN 'name' THEN 'name_key LIKE $2'
    WHEN 'address' THEN 'address_key LIKE $2'
    WHEN 'phone' THEN 'phone_key LIKE $2'
    WHEN 'phone=' THEN 'phone_key = $3'
    WHEN 'any' THEN '(number_key LIKE $2 OR name_key LIKE $2 OR address_key LIKE $2 OR phone_key = $3)'
    WHEN 'any+phone' THEN '(number_key LIKE $2 OR name_key LIKE $2 OR address_key LIKE $2 OR phone_key LIKE $2)'
  END;
  IF cond IS NULL THEN
    RAISE EXCEPTION 'unknown customer search field %', field USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN QUERY EXECUTE 'SELECT customer_id FROM customer_search WHERE tenant_id = $1 AND ' || cond || ' LIMIT $4'
    USING t, search_pattern(q), search_key(q), lim;
END $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION meter_search_ids(text, integer), customer_search_ids(text, text, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION meter_search_ids(text, integer), customer_search_ids(text, text, integer) TO quadmeter_app;--> statement-breakpoint
-- Keys of the rows already there, tenant by tenant (meters and customers are FORCE RLS'd for the
-- owner too).
DO $$
DECLARE tid uuid;
BEGIN
  FOR tid IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', tid::text, true);
    INSERT INTO meter_search (tenant_id, meter_id, key)
      SELECT tenant_id, id, meter_search_key(asset_no, comm_address) FROM meters;
    INSERT INTO customer_search (tenant_id, customer_id, number_key, name_key, address_key, phone_key)
      SELECT tenant_id, id, search_key(number), search_key(name), coalesce(search_key(address), ''),
        coalesce(search_key(phone), '') FROM customers;
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
