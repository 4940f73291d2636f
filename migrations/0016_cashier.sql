-- The cashier's counter (docs/decisions/0027-cashier.md): counter payments (cash or a card
-- terminal's receipt), cashier shifts with hand-over totals, and reversals of mistaken payments
-- approved by a second person. Money is integer fen. A payment posts one ledger entry of kind
-- payment (business key pay:<payment id>) in the same transaction; an approved reversal posts a
-- reversal entry naming it (business key rev:<entry id>).
CREATE TABLE "cashier_shifts" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "cashier_id" uuid NOT NULL,
  "cashier_name" text NOT NULL DEFAULT '',
  "status" text NOT NULL DEFAULT 'open' CHECK ("status" IN ('open', 'closed')),
  "opened_at" timestamp with time zone NOT NULL DEFAULT now(),
  "opening_float_fen" bigint NOT NULL DEFAULT 0 CHECK ("opening_float_fen" BETWEEN 0 AND 100000000000),
  "closed_at" timestamp with time zone,
  "counted_cash_fen" bigint CHECK ("counted_cash_fen" BETWEEN 0 AND 100000000000),
  -- at close: { cash: {count, fen, reversedFen}, card: {…}, expectedCashFen, differenceFen }
  "totals" jsonb NOT NULL DEFAULT '{}',
  "expected_cash_fen" bigint,
  "handed_over_to" text,
  "note" text NOT NULL DEFAULT '',
  CONSTRAINT "cashier_shifts_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "cashier_shifts_closed_ck" CHECK (("status" = 'closed') = ("closed_at" IS NOT NULL))
);--> statement-breakpoint
-- one open shift per cashier
CREATE UNIQUE INDEX "cashier_shifts_open_uq" ON "cashier_shifts" ("tenant_id", "cashier_id")
  WHERE "status" = 'open';--> statement-breakpoint
CREATE INDEX "cashier_shifts_list_idx" ON "cashier_shifts" ("tenant_id", "opened_at" DESC, "id" DESC);--> statement-breakpoint
CREATE TABLE "payments" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "account_id" uuid NOT NULL,
  "method" text NOT NULL CHECK ("method" IN ('cash', 'card')),
  "amount_fen" bigint NOT NULL CHECK ("amount_fen" BETWEEN 1 AND 100000000000),
  "tendered_fen" bigint CHECK ("tendered_fen" BETWEEN 0 AND 100000000000),
  "change_fen" bigint NOT NULL DEFAULT 0 CHECK ("change_fen" >= 0),
  -- the card terminal's receipt (reference) number; required for card payments
  "terminal_ref" text CHECK (length("terminal_ref") BETWEEN 1 AND 64),
  "shift_id" uuid NOT NULL,
  "status" text NOT NULL DEFAULT 'posted' CHECK ("status" IN ('posted', 'reversal_requested', 'reversed')),
  "ledger_entry_id" bigint,
  -- one per submit of the counter page: a double click or a retry posts once
  "idempotency_key" text NOT NULL CHECK (length("idempotency_key") BETWEEN 8 AND 100),
  "cashier_id" uuid NOT NULL,
  "cashier_name" text NOT NULL DEFAULT '',
  "note" text NOT NULL DEFAULT '',
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "payments_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "payments_idempotency_uq" UNIQUE ("tenant_id", "idempotency_key"),
  CONSTRAINT "payments_account_fk" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts" ("tenant_id", "id"),
  CONSTRAINT "payments_shift_fk" FOREIGN KEY ("tenant_id", "shift_id") REFERENCES "cashier_shifts" ("tenant_id", "id"),
  CONSTRAINT "payments_ledger_fk" FOREIGN KEY ("tenant_id", "ledger_entry_id") REFERENCES "ledger_entries" ("tenant_id", "id"),
  CONSTRAINT "payments_method_ck" CHECK (
    ("method" = 'cash' AND "tendered_fen" >= "amount_fen" AND "change_fen" = "tendered_fen" - "amount_fen"
       AND "terminal_ref" IS NULL)
    OR ("method" = 'card' AND "terminal_ref" IS NOT NULL AND "change_fen" = 0))
);--> statement-breakpoint
CREATE INDEX "payments_list_idx" ON "payments" ("tenant_id", "created_at" DESC, "id" DESC);--> statement-breakpoint
CREATE INDEX "payments_account_idx" ON "payments" ("tenant_id", "account_id", "created_at" DESC);--> statement-breakpoint
CREATE INDEX "payments_shift_idx" ON "payments" ("tenant_id", "shift_id");--> statement-breakpoint
CREATE TABLE "payment_reversals" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "payment_id" uuid NOT NULL,
  "reason" text NOT NULL CHECK (length("reason") BETWEEN 1 AND 500),
  "status" text NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'approved', 'rejected')),
  "requested_by" uuid NOT NULL,
  "requested_by_name" text NOT NULL DEFAULT '',
  "requested_at" timestamp with time zone NOT NULL DEFAULT now(),
  "approved_by" uuid,
  "approved_by_name" text,
  "decided_at" timestamp with time zone,
  "decision_note" text NOT NULL DEFAULT '',
  "ledger_entry_id" bigint,
  CONSTRAINT "payment_reversals_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "payment_reversals_payment_fk" FOREIGN KEY ("tenant_id", "payment_id") REFERENCES "payments" ("tenant_id", "id"),
  CONSTRAINT "payment_reversals_ledger_fk" FOREIGN KEY ("tenant_id", "ledger_entry_id") REFERENCES "ledger_entries" ("tenant_id", "id"),
  -- the four-eyes rule, also in the data: nobody decides their own request
  CONSTRAINT "payment_reversals_four_eyes_ck" CHECK ("approved_by" IS NULL OR "approved_by" <> "requested_by"),
  CONSTRAINT "payment_reversals_decided_ck" CHECK (("status" = 'pending') = ("decided_at" IS NULL))
);--> statement-breakpoint
-- at most one pending or approved reversal per payment
CREATE UNIQUE INDEX "payment_reversals_live_uq" ON "payment_reversals" ("tenant_id", "payment_id")
  WHERE "status" <> 'rejected';--> statement-breakpoint
CREATE INDEX "payment_reversals_pending_idx" ON "payment_reversals" ("tenant_id", "requested_at")
  WHERE "status" = 'pending';--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['cashier_shifts','payments','payment_reversals'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
  -- payments and reversals are never deleted by the application
  GRANT SELECT, INSERT, UPDATE ON cashier_shifts, payments, payment_reversals TO quadmeter_app;
END $$;
