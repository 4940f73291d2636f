-- Uplinks whose route resolved to no meter of the tenant that pushed them (ingest outcome
-- `unmatched`, docs/decisions/0014). Kept whole, never dropped: an operator assigns one to a meter
-- (the route is created and the kept reading ingested again) or dismisses it. One row per
-- platform message (idempotency key), so a replayed push is kept once.
CREATE TABLE "unmatched_uplinks" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "plugin_id" text NOT NULL,
  "via" text NOT NULL,
  "device_id" text NOT NULL,
  "platform" text,
  "reason" text NOT NULL,
  "idem_key" text NOT NULL,
  "reading" jsonb NOT NULL,
  "raw" text,
  "received_at" timestamp with time zone NOT NULL,
  "seen" integer NOT NULL DEFAULT 1,
  "status" text NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'assigned', 'dismissed')),
  "meter_id" uuid,
  "result" text,
  "resolved_at" timestamp with time zone,
  "resolved_by" text,
  CONSTRAINT "unmatched_uplinks_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "unmatched_uplinks_key_uq" UNIQUE ("tenant_id", "idem_key"),
  CONSTRAINT "unmatched_uplinks_meter_fk" FOREIGN KEY ("tenant_id", "meter_id") REFERENCES "meters"("tenant_id", "id")
);--> statement-breakpoint
CREATE INDEX "unmatched_uplinks_list_idx" ON "unmatched_uplinks" ("tenant_id", "status", "received_at" DESC, "id");--> statement-breakpoint
ALTER TABLE "unmatched_uplinks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "unmatched_uplinks" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "unmatched_uplinks" USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "unmatched_uplinks" TO quadmeter_app;
