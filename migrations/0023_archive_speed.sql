-- The write path of a meter import (docs/decisions/0007-bulk-imports.md, "Archive speed"): every
-- new meter pays its foreign-key checks and its search keys, a hundred thousand times per import.
-- 1. The tenant foreign key of meters repeats what its NOT NULL (tenant_id, area_id) key to areas
--    already guarantees: an area exists only in an existing tenant (areas_tenant_id_tenants_id_fk),
--    and both keys are ON DELETE NO ACTION, so a tenant with meters still cannot be deleted.
ALTER TABLE "meters" DROP CONSTRAINT "meters_tenant_id_tenants_id_fk";--> statement-breakpoint
-- 2. Meters without an account (in stock, or imported before their accounts) need no entry in the
--    index that finds an account's meters: every query of it names an account (`account_id = …`,
--    which implies NOT NULL), and the foreign-key check of a deleted account asks the same.
DROP INDEX "meters_account_idx";--> statement-breakpoint
CREATE INDEX "meters_account_idx" ON "meters" USING btree ("tenant_id","account_id") WHERE "account_id" IS NOT NULL;--> statement-breakpoint
-- 3. search_key inlined into the statements that call it. `convert_to` is STABLE, so the IMMUTABLE
--    SQL function that called it was never inlined: each key paid a call of the SQL-function
--    executor (~10 µs, most of the key's cost). In a UTF8 database the text's bytes are already its
--    UTF-8 bytes, and the text holds no backslash once translated, so the I/O cast to bytea gives
--    the same bytes (and is immutable). Pure-ASCII text (asset numbers, addresses, phones) skips
--    NFKC and the escaping altogether: NFKC leaves ASCII as it is, and `escape` rewrites only bytes
--    beyond ASCII and backslashes (gone). Same keys as before for every text (tested); not STRICT,
--    so that the CASE stays inlinable (a NULL makes the condition NULL and the second branch NULL).
--    A database in another encoding keeps the converting form.
DO $$
BEGIN
  IF current_setting('server_encoding') = 'UTF8' THEN
    CREATE OR REPLACE FUNCTION search_key(s text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
      SELECT CASE WHEN octet_length(s) = char_length(s)
        THEN translate(lower(s), '0123456789\', 'ABCDEFGHIJ')
        ELSE replace(replace(encode(translate(lower(normalize(s, NFKC)), '0123456789\', 'ABCDEFGHIJ')::bytea,
          'escape'), '\2', ''), '\3', 'Q')
      END
    $f$;
  END IF;
END $$;
