-- Customer self-service (WeChat H5, docs/decisions/0037-self-service.md): a customer identity per
-- tenant (the WeChat openid from the web authorisation flow), its sessions, the accounts it has
-- bound after proving it holds them, and the one-time verification codes sent for a binding.
-- Customers are not operator users: they never hold permissions, only bindings.
CREATE TABLE "self_identities" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "openid" text NOT NULL CHECK ("openid" ~ '^[0-9A-Za-z_-]{6,64}$'),
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "last_seen_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "self_identities_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "self_identities_openid_uq" UNIQUE ("tenant_id", "openid")
);--> statement-breakpoint
CREATE TABLE "self_sessions" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "identity_id" uuid NOT NULL,
  -- sha256 of the cookie's secret half; the secret itself is never stored
  "token_hash" text NOT NULL CHECK ("token_hash" ~ '^[0-9a-f]{64}$'),
  "expires_at" timestamp with time zone NOT NULL,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "self_sessions_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "self_sessions_token_uq" UNIQUE ("tenant_id", "token_hash"),
  CONSTRAINT "self_sessions_identity_fk" FOREIGN KEY ("tenant_id", "identity_id")
    REFERENCES "self_identities" ("tenant_id", "id") ON DELETE CASCADE
);--> statement-breakpoint
CREATE TABLE "self_bindings" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "identity_id" uuid NOT NULL,
  "account_id" uuid NOT NULL,
  "method" text NOT NULL CHECK ("method" IN ('sms', 'id_number')),
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "self_bindings_pk" PRIMARY KEY ("tenant_id", "identity_id", "account_id"),
  CONSTRAINT "self_bindings_identity_fk" FOREIGN KEY ("tenant_id", "identity_id")
    REFERENCES "self_identities" ("tenant_id", "id") ON DELETE CASCADE,
  CONSTRAINT "self_bindings_account_fk" FOREIGN KEY ("tenant_id", "account_id")
    REFERENCES "accounts" ("tenant_id", "id") ON DELETE CASCADE
);--> statement-breakpoint
CREATE INDEX "self_bindings_account_idx" ON "self_bindings" ("tenant_id", "account_id");--> statement-breakpoint
CREATE TABLE "self_codes" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "identity_id" uuid NOT NULL,
  "account_id" uuid NOT NULL,
  -- sha256(code id ‖ code): a leaked table gives no code
  "code_hash" text NOT NULL CHECK ("code_hash" ~ '^[0-9a-f]{64}$'),
  "expires_at" timestamp with time zone NOT NULL,
  "used_at" timestamp with time zone,
  "attempts" smallint NOT NULL DEFAULT 0 CHECK ("attempts" BETWEEN 0 AND 100),
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "self_codes_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "self_codes_identity_fk" FOREIGN KEY ("tenant_id", "identity_id")
    REFERENCES "self_identities" ("tenant_id", "id") ON DELETE CASCADE,
  CONSTRAINT "self_codes_account_fk" FOREIGN KEY ("tenant_id", "account_id")
    REFERENCES "accounts" ("tenant_id", "id") ON DELETE CASCADE
);--> statement-breakpoint
CREATE INDEX "self_codes_identity_idx" ON "self_codes" ("tenant_id", "identity_id", "created_at" DESC);--> statement-breakpoint
CREATE INDEX "self_codes_account_idx" ON "self_codes" ("tenant_id", "account_id", "created_at" DESC);--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['self_identities','self_sessions','self_bindings','self_codes'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO quadmeter_app', t);
  END LOOP;
END $$;
