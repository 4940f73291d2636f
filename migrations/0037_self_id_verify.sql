-- Binding by the ID number's last digits (docs/decisions/0046-self-id-verify.md): the tenant's
-- self-service settings (which binding methods customers may use) and the id-digit attempts, counted
-- like the SMS codes' tries (per customer identity and per account) for the same lockout.
CREATE TABLE "self_settings" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "bind_method" text NOT NULL DEFAULT 'sms' CHECK ("bind_method" IN ('sms', 'id_digits', 'either')),
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "self_settings_pk" PRIMARY KEY ("tenant_id")
);--> statement-breakpoint
CREATE TABLE "self_id_attempts" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "identity_id" uuid NOT NULL,
  "account_id" uuid NOT NULL,
  "ok" boolean NOT NULL,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "self_id_attempts_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "self_id_attempts_identity_fk" FOREIGN KEY ("tenant_id", "identity_id")
    REFERENCES "self_identities" ("tenant_id", "id") ON DELETE CASCADE,
  CONSTRAINT "self_id_attempts_account_fk" FOREIGN KEY ("tenant_id", "account_id")
    REFERENCES "accounts" ("tenant_id", "id") ON DELETE CASCADE
);--> statement-breakpoint
CREATE INDEX "self_id_attempts_identity_idx" ON "self_id_attempts" ("tenant_id", "identity_id", "created_at" DESC);--> statement-breakpoint
CREATE INDEX "self_id_attempts_account_idx" ON "self_id_attempts" ("tenant_id", "account_id", "created_at" DESC);--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['self_settings','self_id_attempts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO quadmeter_app', t);
  END LOOP;
END $$;
