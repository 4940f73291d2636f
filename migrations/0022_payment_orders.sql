-- Online payment orders (docs/decisions/0034-online-payments.md): an order for an account with a
-- payment provider plugin (payment-wechat …), its life created → paying → paid | closed |
-- refunded changed only by conditional updates, and its refunds with idempotent refund numbers.
-- A paid order becomes a `payments` row of the provider's method (no shift, no cashier) whose
-- ledger entry is posted in the same transaction, so the existing receipt and the prepaid
-- trigger work unchanged. Money is integer fen.
ALTER TABLE "payments" DROP CONSTRAINT "payments_method_check";--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_method_check"
  CHECK ("method" IN ('cash', 'card', 'wechat'));--> statement-breakpoint
ALTER TABLE "payments" ALTER COLUMN "shift_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ALTER COLUMN "cashier_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_method_ck";--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_method_ck" CHECK (
  ("method" = 'cash' AND "tendered_fen" >= "amount_fen" AND "change_fen" = "tendered_fen" - "amount_fen"
     AND "terminal_ref" IS NULL AND "shift_id" IS NOT NULL AND "cashier_id" IS NOT NULL)
  OR ("method" = 'card' AND "terminal_ref" IS NOT NULL AND "change_fen" = 0
     AND "shift_id" IS NOT NULL AND "cashier_id" IS NOT NULL)
  -- online: paid to the provider, no counter, no shift; the order names the payment
  OR ("method" = 'wechat' AND "tendered_fen" IS NULL AND "change_fen" = 0 AND "terminal_ref" IS NULL
     AND "shift_id" IS NULL));--> statement-breakpoint
CREATE TABLE "payment_orders" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  -- our out_trade_no: generated, unique over all tenants so a verified callback names its tenant
  "order_no" text NOT NULL CHECK ("order_no" ~ '^[0-9A-Za-z]{6,32}$'),
  "account_id" uuid NOT NULL,
  -- the payment plugin's id, e.g. payment-wechat
  "provider" text NOT NULL CHECK (length("provider") BETWEEN 1 AND 64),
  "channel" text NOT NULL CHECK ("channel" IN ('native', 'jsapi')),
  "amount_fen" bigint NOT NULL CHECK ("amount_fen" BETWEEN 1 AND 100000000000),
  "description" text NOT NULL DEFAULT '' CHECK (length("description") <= 127),
  "status" text NOT NULL DEFAULT 'created'
    CHECK ("status" IN ('created', 'paying', 'paid', 'closed', 'refunded')),
  -- what the payer does next (QR code URL, JSAPI parameters), as the plugin returned it
  "action" jsonb NOT NULL DEFAULT '{}',
  "provider_txn_id" text CHECK (length("provider_txn_id") BETWEEN 1 AND 64),
  "payment_id" uuid,
  "refunded_fen" bigint NOT NULL DEFAULT 0,
  -- set when something needs an operator: amount_mismatch, late_refunded, late_credited
  "flag" text CHECK ("flag" IN ('amount_mismatch', 'late_refunded', 'late_credited')),
  "flag_detail" jsonb,
  "expires_at" timestamp with time zone NOT NULL,
  "paid_at" timestamp with time zone,
  "closed_at" timestamp with time zone,
  "created_by" uuid,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "payment_orders_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "payment_orders_account_fk" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts" ("tenant_id", "id"),
  CONSTRAINT "payment_orders_payment_fk" FOREIGN KEY ("tenant_id", "payment_id") REFERENCES "payments" ("tenant_id", "id"),
  CONSTRAINT "payment_orders_refunded_ck" CHECK ("refunded_fen" BETWEEN 0 AND "amount_fen"),
  -- paid (and refunded, also a late payment refunded at once) means the provider took the money
  CONSTRAINT "payment_orders_paid_ck" CHECK ("status" NOT IN ('paid', 'refunded') OR "paid_at" IS NOT NULL)
);--> statement-breakpoint
CREATE UNIQUE INDEX "payment_orders_no_uq" ON "payment_orders" ("order_no");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_orders_tenant_no_uq" ON "payment_orders" ("tenant_id", "order_no");--> statement-breakpoint
-- one provider transaction credits at most one order
CREATE UNIQUE INDEX "payment_orders_txn_uq" ON "payment_orders" ("provider", "provider_txn_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_orders_payment_uq" ON "payment_orders" ("tenant_id", "payment_id");--> statement-breakpoint
CREATE INDEX "payment_orders_list_idx" ON "payment_orders" ("tenant_id", "created_at" DESC, "id" DESC);--> statement-breakpoint
CREATE INDEX "payment_orders_account_idx" ON "payment_orders" ("tenant_id", "account_id", "created_at" DESC);--> statement-breakpoint
CREATE INDEX "payment_orders_open_idx" ON "payment_orders" ("tenant_id", "expires_at")
  WHERE "status" IN ('created', 'paying');--> statement-breakpoint
CREATE TABLE "payment_refunds" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "order_id" uuid NOT NULL,
  -- our out_refund_no: persisted before the first call, reused on every retry
  "refund_no" text NOT NULL CHECK ("refund_no" ~ '^[0-9A-Za-z_-]{8,64}$'),
  "amount_fen" bigint NOT NULL CHECK ("amount_fen" BETWEEN 1 AND 100000000000),
  "reason" text NOT NULL CHECK (length("reason") BETWEEN 1 AND 80),
  "status" text NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'succeeded', 'failed')),
  -- true for a late payment refunded by the platform because the account could not take it
  "automatic" boolean NOT NULL DEFAULT false,
  "provider_refund_id" text CHECK (length("provider_refund_id") BETWEEN 1 AND 64),
  "ledger_entry_id" bigint,
  "requested_by" uuid,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "decided_at" timestamp with time zone,
  CONSTRAINT "payment_refunds_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "payment_refunds_no_uq" UNIQUE ("tenant_id", "refund_no"),
  CONSTRAINT "payment_refunds_order_fk" FOREIGN KEY ("tenant_id", "order_id") REFERENCES "payment_orders" ("tenant_id", "id"),
  CONSTRAINT "payment_refunds_ledger_fk" FOREIGN KEY ("tenant_id", "ledger_entry_id") REFERENCES "ledger_entries" ("tenant_id", "id")
);--> statement-breakpoint
CREATE INDEX "payment_refunds_order_idx" ON "payment_refunds" ("tenant_id", "order_id");--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['payment_orders','payment_refunds'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
  -- orders and refunds are never deleted by the application
  GRANT SELECT, INSERT, UPDATE ON payment_orders, payment_refunds TO quadmeter_app;
END $$;--> statement-breakpoint
-- A verified provider callback names our order number before any tenant is known: the owner's
-- system path (never quadmeter_app) may read orders across tenants to find the tenant, SELECT only.
CREATE POLICY callback_lookup ON payment_orders AS PERMISSIVE FOR SELECT USING ((
  SELECT pg_catalog.pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_catalog.pg_class c
  WHERE c.oid = 'payment_orders'::regclass));
