-- Denser search keys for characters beyond ASCII, customer search that reads the trigram index
-- by the most selective part of a mixed fragment, and search-key triggers that insert the keys of
-- new rows plainly (docs/decisions/0010 and 0007).
--
-- 0003 spelled every byte beyond ASCII as Q + three octal digits: 12 key characters per Chinese
-- character from 9 symbols, most of them the same in every character (the Q, the 3 of a lead byte,
-- the 2 of a continuation byte), so its trigrams were common to most keys and GIN intersected long
-- posting lists (a 2-character name: ~20 ms at 400k customers). Now a character is Q + the last two
-- octal digits of its lead byte (all lead bytes are 3xx in octal) + the last two of each
-- continuation byte (all 2xx): 7 key characters for a Chinese character, every trigram carrying
-- information. Q still occurs only at the start of a spelling and raw digits only inside one, and
-- the lead byte fixes the spelling's length, so a fragment's key still matches only on character
-- boundaries (property-tested in search-key.test.ts).
CREATE OR REPLACE FUNCTION search_key(s text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT replace(replace(encode(convert_to(translate(lower(normalize(s, NFKC)), '0123456789\', 'ABCDEFGHIJ'),
    'UTF8'), 'escape'), '\2', ''), '\3', 'Q')
$$;--> statement-breakpoint
-- The stored keys in the new spelling, rewritten from the old one (no RLS'd table is read): drop
-- the continuation bytes' Q2 first, then turn each lead byte's Q3 into Q.
UPDATE meter_search SET key = replace(replace(key, 'Q2', ''), 'Q3', 'Q') WHERE strpos(key, 'Q') > 0;--> statement-breakpoint
UPDATE customer_search SET
  number_key = replace(replace(number_key, 'Q2', ''), 'Q3', 'Q'),
  name_key = replace(replace(name_key, 'Q2', ''), 'Q3', 'Q'),
  address_key = replace(replace(address_key, 'Q2', ''), 'Q3', 'Q'),
  phone_key = replace(replace(phone_key, 'Q2', ''), 'Q3', 'Q')
  WHERE strpos(number_key || name_key || address_key || phone_key, 'Q') > 0;--> statement-breakpoint
--
-- A fragment mixing Chinese and ASCII, such as an address tail `3号楼 2单元 0501`, made GIN
-- intersect the posting lists of every trigram of its key, and the trigrams of the characters
-- every address has (号楼, 单元) are common to every row: 60–70 ms at 400k customers for ~100
-- candidates. When the key holds spelled characters and a run of at least three ASCII letters or
-- digits (letters and A–J in the key, which never occur inside a spelling), the name and address
-- indexes read only the longest such run — a substring of the key, so every row matching the whole fragment contains
-- it — and the whole pattern filters the candidates (written `(key || '') LIKE …` so that it is not
-- an index condition too).
CREATE OR REPLACE FUNCTION customer_search_ids(field text, q text, lim integer) RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  t uuid := app_tenant_id();
  k text;
  run text;
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
  k := search_key(q);
  IF field IN ('name', 'address', 'any', 'any+phone') AND strpos(k, 'Q') > 0 THEN
    SELECT m[1] INTO run FROM regexp_matches(k, '([a-zA-J]{3,})', 'g') AS m ORDER BY length(m[1]) DESC LIMIT 1;
  END IF;
  IF run IS NOT NULL THEN
    -- names and addresses by the run; numbers and phones (codes, without Chinese) by the whole
    -- pattern, whose spelled trigrams they do not have; then every field by the whole pattern
    cond := regexp_replace(cond, '(name_key|address_key) LIKE \$2', '\1 LIKE $5', 'g') || ' AND '
      || regexp_replace(cond, '(\w+_key) LIKE \$2', '(\1 || '''') LIKE $2', 'g');
  END IF;
  RETURN QUERY EXECUTE 'SELECT customer_id FROM customer_search WHERE (tenant_id = $1) IS TRUE AND ' || cond || ' LIMIT $4'
    USING t, search_pattern(q), k, lim, '%' || run || '%';
END $$;--> statement-breakpoint
-- The tenant as a filter only (`IS TRUE` is no index condition): the one way into these tables is
-- then the trigram index. With `tenant_id = $1` the primary key (tenant_id, …) was a candidate path
-- too, and right after a bulk load, before the tables were analysed, the planner could walk the
-- tenant's whole key range with the LIKE as a filter (the bench saw the meter search's p50 at 13 ms
-- in one run and 76 ms in the next on the same data).
CREATE OR REPLACE FUNCTION meter_search_ids(q text, lim integer) RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE t uuid := app_tenant_id();
BEGIN
  IF t IS NULL OR q IS NULL OR lim IS NULL THEN RETURN; END IF;
  RETURN QUERY EXECUTE 'SELECT meter_id FROM meter_search WHERE (tenant_id = $1) IS TRUE AND key LIKE $2 LIMIT $3'
    USING t, search_pattern(q), lim;
END $$;--> statement-breakpoint
-- New rows have no keys yet (the keys cascade with their rows, and the INSERT transition table
-- holds only rows actually inserted, also under INSERT … ON CONFLICT DO UPDATE), so the INSERT
-- branch inserts plainly: no speculative insertion per key row on bulk writes.
CREATE OR REPLACE FUNCTION meter_search_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO meter_search (tenant_id, meter_id, key)
      SELECT n.tenant_id, n.id, meter_search_key(n.asset_no, n.comm_address) FROM new_rows n;
  ELSE
    UPDATE meter_search s SET key = meter_search_key(n.asset_no, n.comm_address)
      FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
      WHERE s.tenant_id = n.tenant_id AND s.meter_id = n.id
        AND (n.asset_no, n.comm_address) IS DISTINCT FROM (o.asset_no, o.comm_address);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_search_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO customer_search (tenant_id, customer_id, number_key, name_key, address_key, phone_key)
      SELECT n.tenant_id, n.id, search_key(n.number), search_key(n.name),
        coalesce(search_key(n.address), ''), coalesce(search_key(n.phone), '') FROM new_rows n;
  ELSE
    UPDATE customer_search s SET number_key = search_key(n.number), name_key = search_key(n.name),
        address_key = coalesce(search_key(n.address), ''), phone_key = coalesce(search_key(n.phone), '')
      FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
      WHERE s.tenant_id = n.tenant_id AND s.customer_id = n.id
        AND (n.number, n.name, n.address, n.phone) IS DISTINCT FROM (o.number, o.name, o.address, o.phone);
  END IF;
  RETURN NULL;
END $$;
