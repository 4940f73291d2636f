-- Allocation of credits to debits (docs/decisions/0024): which payment, top-up, credit adjustment or
-- reversal of a charge settled how much of which charge, late fee or debit adjustment. Derived from
-- the ledger (the entries stay the truth) and kept per account under the lock of its balance row.
-- A statement-level trigger refuses any insert that would settle more of a debit than it owes,
-- spend more of a credit than it holds, cross accounts, or point the wrong way (SQLSTATE QM002).
CREATE TABLE "ledger_allocations" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" bigint GENERATED ALWAYS AS IDENTITY,
  "account_id" uuid NOT NULL,
  "credit_entry_id" bigint NOT NULL,
  "debit_entry_id" bigint NOT NULL,
  "amount_fen" bigint NOT NULL CHECK ("amount_fen" > 0),
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  -- one pair may settle twice: after a release (a reversal elsewhere) frees part of the credit again
  CONSTRAINT "ledger_allocations_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "ledger_allocations_account_fk" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts" ("tenant_id", "id"),
  CONSTRAINT "ledger_allocations_credit_fk" FOREIGN KEY ("tenant_id", "credit_entry_id") REFERENCES "ledger_entries" ("tenant_id", "id"),
  CONSTRAINT "ledger_allocations_debit_fk" FOREIGN KEY ("tenant_id", "debit_entry_id") REFERENCES "ledger_entries" ("tenant_id", "id")
);--> statement-breakpoint
CREATE INDEX "ledger_allocations_credit_idx" ON "ledger_allocations" ("tenant_id", "credit_entry_id");--> statement-breakpoint
CREATE INDEX "ledger_allocations_debit_idx" ON "ledger_allocations" ("tenant_id", "debit_entry_id");--> statement-breakpoint
CREATE INDEX "ledger_allocations_account_idx" ON "ledger_allocations" ("tenant_id", "account_id");--> statement-breakpoint
CREATE FUNCTION "ledger_allocations_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad record;
BEGIN
  -- direction and account: the credit adds to the balance, the debit takes from it, both the row's account
  SELECT n.credit_entry_id, n.debit_entry_id INTO bad FROM new_rows n
    JOIN ledger_entries c ON c.tenant_id = n.tenant_id AND c.id = n.credit_entry_id
    JOIN ledger_entries d ON d.tenant_id = n.tenant_id AND d.id = n.debit_entry_id
   WHERE c.amount_fen <= 0 OR d.amount_fen >= 0 OR c.account_id <> n.account_id OR d.account_id <> n.account_id
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'allocation % -> % pairs the wrong entries', bad.credit_entry_id, bad.debit_entry_id USING ERRCODE = 'QM002';
  END IF;
  -- never over-settle a debit
  SELECT d.id INTO bad FROM ledger_entries d
   WHERE (d.tenant_id, d.id) IN (SELECT DISTINCT tenant_id, debit_entry_id FROM new_rows)
     AND (SELECT sum(a.amount_fen) FROM ledger_allocations a WHERE a.tenant_id = d.tenant_id AND a.debit_entry_id = d.id) > -d.amount_fen
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'debit entry % would be over-settled', bad.id USING ERRCODE = 'QM002';
  END IF;
  -- never over-spend a credit
  SELECT c.id INTO bad FROM ledger_entries c
   WHERE (c.tenant_id, c.id) IN (SELECT DISTINCT tenant_id, credit_entry_id FROM new_rows)
     AND (SELECT sum(a.amount_fen) FROM ledger_allocations a WHERE a.tenant_id = c.tenant_id AND a.credit_entry_id = c.id) > c.amount_fen
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'credit entry % would be over-spent', bad.id USING ERRCODE = 'QM002';
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "ledger_allocations_guard" AFTER INSERT ON "ledger_allocations"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "ledger_allocations_guard"();--> statement-breakpoint
ALTER TABLE "ledger_allocations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "ledger_allocations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "ledger_allocations" USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());--> statement-breakpoint
-- allocations are derived: the app inserts them and deletes those of a reversed entry (never updates)
GRANT SELECT, INSERT, DELETE ON "ledger_allocations" TO quadmeter_app;
