-- Customer notifications (docs/decisions/0029-notify-outbox.md): contact fields and opt-ins on the
-- customer, the tenant's notify settings (channels, quiet hours), tenant overrides of the default
-- Handlebars templates, the outbox of rendered notices (one row per message id, which is unique:
-- enqueueing the same id twice keeps one row) and the delivery log of every attempt.
ALTER TABLE "customers" ADD COLUMN "email" text CHECK (length("email") <= 254);--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "wechat_openid" text CHECK (length("wechat_openid") <= 128);--> statement-breakpoint
-- the channels the customer agreed to be notified on
ALTER TABLE "customers" ADD COLUMN "notify_channels" text[] NOT NULL DEFAULT '{sms,wechat,email}';--> statement-breakpoint
CREATE TABLE "notify_settings" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "channels" text[] NOT NULL DEFAULT '{sms}',
  -- minutes after local midnight; start = end means no quiet hours
  "quiet_start" smallint NOT NULL DEFAULT 1320 CHECK ("quiet_start" BETWEEN 0 AND 1439),
  "quiet_end" smallint NOT NULL DEFAULT 480 CHECK ("quiet_end" BETWEEN 0 AND 1439),
  "time_zone" text NOT NULL DEFAULT 'Asia/Shanghai',
  -- events sent even inside quiet hours
  "urgent_events" text[] NOT NULL DEFAULT '{}',
  "max_attempts" smallint NOT NULL DEFAULT 5 CHECK ("max_attempts" BETWEEN 1 AND 20),
  "backoff_seconds" integer NOT NULL DEFAULT 60 CHECK ("backoff_seconds" BETWEEN 1 AND 86400),
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "notify_settings_pk" PRIMARY KEY ("tenant_id")
);--> statement-breakpoint
CREATE TABLE "notify_templates" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "event" text NOT NULL,
  "channel" text NOT NULL,
  "subject" text NOT NULL DEFAULT '' CHECK (length("subject") <= 200),
  "body" text NOT NULL CHECK (length("body") BETWEEN 1 AND 8000),
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "notify_templates_pk" PRIMARY KEY ("tenant_id", "event", "channel")
);--> statement-breakpoint
CREATE TABLE "notify_outbox" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" bigint GENERATED ALWAYS AS IDENTITY,
  "message_id" text NOT NULL CHECK (length("message_id") BETWEEN 1 AND 200),
  "account_id" uuid NOT NULL,
  "event" text NOT NULL,
  "channel" text NOT NULL,
  "recipient" text NOT NULL,
  "subject" text NOT NULL DEFAULT '',
  "body" text NOT NULL,
  "vars" jsonb NOT NULL DEFAULT '{}',
  "status" text NOT NULL DEFAULT 'queued' CHECK ("status" IN ('queued', 'sending', 'sent', 'failed')),
  "attempts" smallint NOT NULL DEFAULT 0,
  "next_attempt_at" timestamp with time zone NOT NULL DEFAULT now(),
  "lease_until" timestamp with time zone,
  "provider_id" text,
  "last_error" text,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "finished_at" timestamp with time zone,
  CONSTRAINT "notify_outbox_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "notify_outbox_message_uq" UNIQUE ("tenant_id", "message_id"),
  CONSTRAINT "notify_outbox_account_fk" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts" ("tenant_id", "id")
);--> statement-breakpoint
CREATE INDEX "notify_outbox_due_idx" ON "notify_outbox" ("tenant_id", "next_attempt_at")
  WHERE "status" IN ('queued', 'sending');--> statement-breakpoint
CREATE INDEX "notify_outbox_account_idx" ON "notify_outbox" ("tenant_id", "account_id", "id" DESC);--> statement-breakpoint
CREATE TABLE "notify_deliveries" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" bigint GENERATED ALWAYS AS IDENTITY,
  "outbox_id" bigint NOT NULL,
  "account_id" uuid NOT NULL,
  "event" text NOT NULL,
  "channel" text NOT NULL,
  "attempt" smallint NOT NULL,
  "at" timestamp with time zone NOT NULL DEFAULT now(),
  -- sent: delivered; duplicate: the provider had it already; retry: failed, tried again later;
  -- failed: dropped (permanent error or attempts used up)
  "outcome" text NOT NULL CHECK ("outcome" IN ('sent', 'duplicate', 'retry', 'failed')),
  "provider_id" text,
  "error_code" text,
  "error_message" text,
  CONSTRAINT "notify_deliveries_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "notify_deliveries_outbox_fk" FOREIGN KEY ("tenant_id", "outbox_id") REFERENCES "notify_outbox" ("tenant_id", "id")
);--> statement-breakpoint
CREATE INDEX "notify_deliveries_list_idx" ON "notify_deliveries" ("tenant_id", "id" DESC);--> statement-breakpoint
CREATE INDEX "notify_deliveries_account_idx" ON "notify_deliveries" ("tenant_id", "account_id", "id" DESC);--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['notify_settings','notify_templates','notify_outbox','notify_deliveries'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
  GRANT SELECT, INSERT, UPDATE, DELETE ON notify_settings, notify_templates TO quadmeter_app;
  -- notices and their delivery log are never deleted by the application
  GRANT SELECT, INSERT, UPDATE ON notify_outbox TO quadmeter_app;
  GRANT SELECT, INSERT ON notify_deliveries TO quadmeter_app;
END $$;
--> statement-breakpoint
DO $$
DECLARE t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    UPDATE roles SET permissions = array_append(permissions, 'notify.read')
      WHERE tenant_id = t AND builtin = 'admin' AND NOT ('notify.read' = ANY (permissions));
    UPDATE roles SET permissions = array_append(permissions, 'notify.manage')
      WHERE tenant_id = t AND builtin = 'admin' AND NOT ('notify.manage' = ANY (permissions));
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
