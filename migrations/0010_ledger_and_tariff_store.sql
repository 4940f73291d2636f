-- Billing foundations (docs/decisions/0021): stored tariff plans with immutable published versions,
-- and the ledger — immutable entries in integer fen with a unique business key, and a cached
-- balance per account kept by one statement-level trigger, so single postings and bulk bill runs
-- keep it the same way. Sign: an entry's amount_fen is what it adds to the customer's balance —
-- payments and top-ups are positive, charges and late fees negative; a negative balance is owed.
CREATE TABLE "tariff_plans" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  -- the code accounts name in accounts.tariff_plans (meter kind → code)
  "code" text NOT NULL CHECK (length("code") BETWEEN 1 AND 64),
  -- the meter-type plugin id whose usage it prices (meter-water, meter-power, …)
  "kind" text NOT NULL,
  "name" text NOT NULL CHECK (length("name") BETWEEN 1 AND 200),
  "description" text NOT NULL DEFAULT '',
  "status" text NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'retired')),
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "tariff_plans_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "tariff_plans_code_uq" UNIQUE ("tenant_id", "code")
);--> statement-breakpoint
CREATE TABLE "tariff_versions" (
  "tenant_id" uuid NOT NULL,
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "plan_id" uuid NOT NULL,
  "version" integer NOT NULL CHECK ("version" > 0),
  "effective_from" date NOT NULL,
  "status" text NOT NULL DEFAULT 'draft' CHECK ("status" IN ('draft', 'published')),
  -- a format-1 tariff (docs/tariffs.md)
  "body" jsonb NOT NULL,
  "note" text NOT NULL DEFAULT '',
  "created_by" uuid,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "published_by" uuid,
  "published_at" timestamp with time zone,
  CONSTRAINT "tariff_versions_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "tariff_versions_version_uq" UNIQUE ("tenant_id", "plan_id", "version"),
  CONSTRAINT "tariff_versions_plan_fk" FOREIGN KEY ("tenant_id", "plan_id") REFERENCES "tariff_plans" ("tenant_id", "id")
);--> statement-breakpoint
-- one published version takes effect on a given day per plan
CREATE UNIQUE INDEX "tariff_versions_effective_uq" ON "tariff_versions" ("tenant_id", "plan_id", "effective_from")
  WHERE "status" = 'published';--> statement-breakpoint
-- Rows that must never change once they count: published tariff versions and ledger entries.
-- SQLSTATE QM001 maps to RECORD_IMMUTABLE. Deleting is allowed only while a tenant's data is
-- purged as a whole (app.purge = 'on', set by the platform's purge/restore path).
CREATE FUNCTION "refuse_change_published_tariff"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' AND NOT (TG_OP = 'DELETE' AND coalesce(current_setting('app.purge', true), '') = 'on') THEN
    RAISE EXCEPTION 'published tariff version % is immutable', OLD.id USING ERRCODE = 'QM001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;--> statement-breakpoint
CREATE TRIGGER "tariff_versions_immutable" BEFORE UPDATE OR DELETE ON "tariff_versions"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_published_tariff"();--> statement-breakpoint
CREATE TABLE "ledger_entries" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" bigint GENERATED ALWAYS AS IDENTITY,
  "account_id" uuid NOT NULL,
  "kind" text NOT NULL CHECK ("kind" IN ('charge', 'payment', 'topup', 'refund', 'adjustment', 'reversal', 'late_fee')),
  -- what the entry adds to the balance: + payment/top-up, − charge/late fee/refund paid out
  "amount_fen" bigint NOT NULL CHECK ("amount_fen" BETWEEN -100000000000 AND 100000000000),
  -- what it is for, for allocation and statements: usage, fixed, late_fee, arrears, deposit, …
  "category" text NOT NULL DEFAULT '',
  -- unique per tenant: the same business fact never posts twice (bill:<id>:<line>, pay:<ref>, …)
  "business_key" text NOT NULL CHECK (length("business_key") BETWEEN 1 AND 200),
  -- a reversal names the entry it reverses; an entry is reversed at most once
  "reverses" bigint,
  "bill_id" uuid,
  "payment_id" uuid,
  "meter_id" uuid,
  -- the business date (bill date, payment date); posted_at is when it was written
  "occurred_on" date NOT NULL,
  "posted_at" timestamp with time zone NOT NULL DEFAULT now(),
  "created_by" uuid,
  "memo" text NOT NULL DEFAULT '',
  "meta" jsonb NOT NULL DEFAULT '{}',
  CONSTRAINT "ledger_entries_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "ledger_entries_key_uq" UNIQUE ("tenant_id", "business_key"),
  CONSTRAINT "ledger_entries_reverses_uq" UNIQUE ("tenant_id", "reverses"),
  CONSTRAINT "ledger_entries_account_fk" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts" ("tenant_id", "id"),
  CONSTRAINT "ledger_entries_reverses_fk" FOREIGN KEY ("tenant_id", "reverses") REFERENCES "ledger_entries" ("tenant_id", "id"),
  CONSTRAINT "ledger_entries_sign_ck" CHECK (
    ("kind" IN ('payment', 'topup') AND "amount_fen" > 0)
    OR ("kind" IN ('charge', 'late_fee', 'refund') AND "amount_fen" < 0)
    OR ("kind" IN ('adjustment', 'reversal') AND "amount_fen" <> 0)),
  CONSTRAINT "ledger_entries_reversal_ck" CHECK (("kind" = 'reversal') = ("reverses" IS NOT NULL))
);--> statement-breakpoint
CREATE INDEX "ledger_entries_account_idx" ON "ledger_entries" ("tenant_id", "account_id", "id");--> statement-breakpoint
CREATE INDEX "ledger_entries_bill_idx" ON "ledger_entries" ("tenant_id", "bill_id") WHERE "bill_id" IS NOT NULL;--> statement-breakpoint
CREATE FUNCTION "refuse_change_ledger_entry"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(current_setting('app.purge', true), '') = 'on' THEN RETURN OLD; END IF;
  RAISE EXCEPTION 'ledger entry % is immutable; post a reversal', OLD.id USING ERRCODE = 'QM001';
END $$;--> statement-breakpoint
CREATE TRIGGER "ledger_entries_immutable" BEFORE UPDATE OR DELETE ON "ledger_entries"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_ledger_entry"();--> statement-breakpoint
-- The cached balance: sum(amount_fen) of the account's entries, kept by the trigger below in the
-- same transaction as the entries; services/billing/ledger checks it against the entries.
CREATE TABLE "account_balances" (
  "tenant_id" uuid NOT NULL,
  "account_id" uuid NOT NULL,
  "balance_fen" bigint NOT NULL DEFAULT 0,
  "entry_count" bigint NOT NULL DEFAULT 0,
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "account_balances_pk" PRIMARY KEY ("tenant_id", "account_id"),
  CONSTRAINT "account_balances_account_fk" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts" ("tenant_id", "id")
);--> statement-breakpoint
CREATE FUNCTION "ledger_entries_roll_balances"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- in account order, so concurrent statements over overlapping accounts lock in one order
  INSERT INTO account_balances AS b (tenant_id, account_id, balance_fen, entry_count, updated_at)
    SELECT n.tenant_id, n.account_id, sum(n.amount_fen), count(*), now()
      FROM new_rows n GROUP BY n.tenant_id, n.account_id ORDER BY n.tenant_id, n.account_id
  ON CONFLICT (tenant_id, account_id) DO UPDATE
    SET balance_fen = b.balance_fen + EXCLUDED.balance_fen,
        entry_count = b.entry_count + EXCLUDED.entry_count,
        updated_at = now();
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "ledger_entries_balances" AFTER INSERT ON "ledger_entries"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "ledger_entries_roll_balances"();--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tariff_plans','tariff_versions','ledger_entries','account_balances'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
  GRANT SELECT, INSERT, UPDATE, DELETE ON tariff_plans, tariff_versions TO quadmeter_app;
  -- the ledger is append-only for the application role
  GRANT SELECT, INSERT ON ledger_entries TO quadmeter_app;
  GRANT SELECT, INSERT, UPDATE ON account_balances TO quadmeter_app;
END $$;
