-- The command outbox (docs/decisions/0016): remote control of meters (valve, relay, keep-power,
-- alarm, time sync, freeze, prepaid parameters), one row per command with its state machine
-- queued → sent → confirmed | failed | expired | cancelled; batches over many meters, waiting for
-- a second person's approval above the tenant's threshold; the meter's keep-power (保电) flag.
CREATE TABLE "command_batches" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "action" text NOT NULL,
  "params" jsonb NOT NULL DEFAULT '{}',
  "reason" text NOT NULL,
  "target" text NOT NULL CHECK ("target" IN ('meters', 'group', 'area')),
  "target_id" uuid,
  "meter_count" integer NOT NULL,
  "customer_count" integer NOT NULL,
  "priority" smallint NOT NULL DEFAULT 5,
  "override" boolean NOT NULL DEFAULT false,
  "expires_at" timestamp with time zone NOT NULL,
  "status" text NOT NULL CHECK ("status" IN ('pending_approval', 'released', 'rejected', 'cancelled')),
  "requested_by" uuid,
  "requested_by_name" text NOT NULL DEFAULT '',
  "decided_by" uuid,
  "decided_by_name" text,
  "decided_at" timestamp with time zone,
  "decision_note" text,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "command_batches_pk" PRIMARY KEY ("tenant_id", "id")
);--> statement-breakpoint
CREATE INDEX "command_batches_list_idx" ON "command_batches" ("tenant_id", "status", "created_at" DESC, "id" DESC);--> statement-breakpoint
-- The meters a batch names, fixed when it is requested: an approver approves what was asked.
CREATE TABLE "command_batch_meters" (
  "tenant_id" uuid NOT NULL,
  "batch_id" uuid NOT NULL,
  "meter_id" uuid NOT NULL,
  CONSTRAINT "command_batch_meters_pk" PRIMARY KEY ("tenant_id", "batch_id", "meter_id"),
  CONSTRAINT "command_batch_meters_batch_fk" FOREIGN KEY ("tenant_id", "batch_id")
    REFERENCES "command_batches" ("tenant_id", "id") ON DELETE CASCADE,
  CONSTRAINT "command_batch_meters_meter_fk" FOREIGN KEY ("tenant_id", "meter_id")
    REFERENCES "meters" ("tenant_id", "id")
);--> statement-breakpoint
CREATE TABLE "meter_commands" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "meter_id" uuid NOT NULL,
  "area_id" uuid NOT NULL,
  "batch_id" uuid,
  "action" text NOT NULL CHECK ("action" IN ('valve-open', 'valve-close', 'relay-trip', 'relay-close',
    'keep-power', 'keep-power-clear', 'alarm-on', 'alarm-off', 'freeze', 'time-sync', 'prepaid-params')),
  "params" jsonb NOT NULL DEFAULT '{}',
  "status" text NOT NULL DEFAULT 'queued'
    CHECK ("status" IN ('queued', 'sent', 'confirmed', 'failed', 'expired', 'cancelled')),
  -- confirmed: true = the state was read back, false = acknowledged, unverified
  "verified" boolean,
  "source" text NOT NULL CHECK ("source" IN ('operator', 'schedule', 'prepaid', 'api')),
  "priority" smallint NOT NULL DEFAULT 5 CHECK ("priority" BETWEEN 0 AND 9),
  "reason" text NOT NULL DEFAULT '',
  "requested_by" uuid,
  "requested_by_name" text NOT NULL DEFAULT '',
  -- a cut sent to a keep-power meter by a user holding meters.control.override
  "override" boolean NOT NULL DEFAULT false,
  "idempotency_key" text,
  "expires_at" timestamp with time zone NOT NULL,
  "attempts" smallint NOT NULL DEFAULT 0,
  "max_attempts" smallint NOT NULL DEFAULT 3,
  "next_attempt_at" timestamp with time zone NOT NULL DEFAULT now(),
  -- the transport that took it and, for platform-queued delivery, the platform's command id
  "transport" text,
  "platform_ref" text,
  -- sent and handed to a platform or network: waiting for its callback or the next uplink
  "awaiting" boolean NOT NULL DEFAULT false,
  "delivered_at" timestamp with time zone,
  -- the process delivering it and until when; a lapsed lease means the sender died mid-flight
  "lease_owner" text,
  "lease_until" timestamp with time zone,
  "state" jsonb,
  "error_code" text,
  "detail" text,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "sent_at" timestamp with time zone,
  "finished_at" timestamp with time zone,
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "meter_commands_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "meter_commands_idem_uq" UNIQUE ("tenant_id", "idempotency_key"),
  CONSTRAINT "meter_commands_meter_fk" FOREIGN KEY ("tenant_id", "meter_id") REFERENCES "meters" ("tenant_id", "id"),
  CONSTRAINT "meter_commands_batch_fk" FOREIGN KEY ("tenant_id", "batch_id") REFERENCES "command_batches" ("tenant_id", "id")
);--> statement-breakpoint
-- at most one command in flight per meter
CREATE UNIQUE INDEX "meter_commands_in_flight_uq" ON "meter_commands" ("tenant_id", "meter_id") WHERE "status" = 'sent';--> statement-breakpoint
CREATE INDEX "meter_commands_meter_idx" ON "meter_commands" ("tenant_id", "meter_id", "created_at" DESC, "id" DESC);--> statement-breakpoint
CREATE INDEX "meter_commands_list_idx" ON "meter_commands" ("tenant_id", "created_at" DESC, "id" DESC);--> statement-breakpoint
CREATE INDEX "meter_commands_open_idx" ON "meter_commands" ("tenant_id", "status", "priority" DESC, "next_attempt_at") WHERE "status" IN ('queued', 'sent');--> statement-breakpoint
CREATE INDEX "meter_commands_batch_idx" ON "meter_commands" ("tenant_id", "batch_id") WHERE "batch_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "meter_commands_platform_idx" ON "meter_commands" ("tenant_id", "platform_ref") WHERE "platform_ref" IS NOT NULL;--> statement-breakpoint
-- per-tenant control policy
CREATE TABLE "control_settings" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  -- a batch cut over more meters than this waits for a second person's approval
  "approval_threshold" integer NOT NULL DEFAULT 50 CHECK ("approval_threshold" BETWEEN 0 AND 1000000),
  "expiry_minutes" integer NOT NULL DEFAULT 1440 CHECK ("expiry_minutes" BETWEEN 1 AND 20160),
  "max_attempts" smallint NOT NULL DEFAULT 3 CHECK ("max_attempts" BETWEEN 1 AND 10),
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "control_settings_pk" PRIMARY KEY ("tenant_id")
);--> statement-breakpoint
ALTER TABLE "meters" ADD COLUMN "keep_power" boolean NOT NULL DEFAULT false;--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['command_batches','command_batch_meters','meter_commands','control_settings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO quadmeter_app', t);
  END LOOP;
END $$;
--> statement-breakpoint
DO $$
DECLARE t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    UPDATE roles SET permissions = array_append(permissions, 'meters.control.override')
      WHERE tenant_id = t AND builtin = 'admin' AND NOT ('meters.control.override' = ANY (permissions));
    UPDATE roles SET permissions = array_append(permissions, 'meters.control.approve')
      WHERE tenant_id = t AND builtin = 'admin' AND NOT ('meters.control.approve' = ANY (permissions));
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
