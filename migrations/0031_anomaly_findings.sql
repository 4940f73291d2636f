-- Validation, estimation and editing (docs/decisions/0039-vee.md): the exception queue of anomaly
-- findings (at most one open per meter and rule: a repeated finding updates it), its history of
-- notes and actions, and the tenant's rule settings (thresholds per tenant, medium and area; the
-- defaults live in code).
CREATE TABLE "anomaly_findings" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "meter_id" uuid NOT NULL,
  -- the meter's area when the finding was made: the queue's area scope without a join
  "area_id" uuid NOT NULL,
  "rule" text NOT NULL CHECK (length("rule") BETWEEN 1 AND 80),
  "severity" text NOT NULL CHECK ("severity" IN ('info', 'warning', 'critical')),
  "status" text NOT NULL DEFAULT 'open' CHECK ("status" IN ('open', 'assigned', 'resolved', 'dismissed')),
  "first_seen_at" timestamp with time zone NOT NULL DEFAULT now(),
  "last_seen_at" timestamp with time zone NOT NULL DEFAULT now(),
  "occurrences" integer NOT NULL DEFAULT 1 CHECK ("occurrences" >= 1),
  "evidence" jsonb NOT NULL DEFAULT '{}',
  "assigned_to" uuid,
  "resolved_at" timestamp with time zone,
  "note" text NOT NULL DEFAULT '' CHECK (length("note") <= 500),
  CONSTRAINT "anomaly_findings_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "anomaly_findings_meter_fk" FOREIGN KEY ("tenant_id", "meter_id") REFERENCES "meters" ("tenant_id", "id"),
  CONSTRAINT "anomaly_findings_user_fk" FOREIGN KEY ("tenant_id", "assigned_to") REFERENCES "users" ("tenant_id", "id"),
  CONSTRAINT "anomaly_findings_closed_ck" CHECK (("status" IN ('resolved', 'dismissed')) = ("resolved_at" IS NOT NULL))
);--> statement-breakpoint
-- one open finding per meter and rule: the upsert of a repeated finding lands on it
CREATE UNIQUE INDEX "anomaly_findings_open_uq" ON "anomaly_findings" ("tenant_id", "meter_id", "rule")
  WHERE "status" IN ('open', 'assigned');--> statement-breakpoint
-- the queue: newest first, keyset (last_seen_at, id)
CREATE INDEX "anomaly_findings_queue_idx" ON "anomaly_findings" ("tenant_id", "status", "last_seen_at" DESC, "id" DESC);--> statement-breakpoint
CREATE INDEX "anomaly_findings_meter_idx" ON "anomaly_findings" ("tenant_id", "meter_id", "last_seen_at" DESC);--> statement-breakpoint
CREATE TABLE "anomaly_finding_events" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "finding_id" uuid NOT NULL,
  "at" timestamp with time zone NOT NULL DEFAULT now(),
  "action" text NOT NULL CHECK ("action" IN ('opened', 'repeated', 'assigned', 'note', 'resolved', 'dismissed')),
  "actor_id" uuid,
  "actor_name" text NOT NULL DEFAULT '',
  "note" text NOT NULL DEFAULT '' CHECK (length("note") <= 500),
  CONSTRAINT "anomaly_finding_events_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "anomaly_finding_events_finding_fk" FOREIGN KEY ("tenant_id", "finding_id")
    REFERENCES "anomaly_findings" ("tenant_id", "id")
);--> statement-breakpoint
CREATE INDEX "anomaly_finding_events_finding_idx" ON "anomaly_finding_events" ("tenant_id", "finding_id", "at");--> statement-breakpoint
CREATE TABLE "anomaly_rule_settings" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "rule" text NOT NULL CHECK (length("rule") BETWEEN 1 AND 80),
  "medium" text CHECK ("medium" IN ('water', 'electricity', 'gas', 'heat')),
  "area_id" uuid,
  "enabled" boolean NOT NULL DEFAULT true,
  "params" jsonb NOT NULL DEFAULT '{}',
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "anomaly_rule_settings_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "anomaly_rule_settings_area_fk" FOREIGN KEY ("tenant_id", "area_id") REFERENCES "areas" ("tenant_id", "id")
);--> statement-breakpoint
CREATE UNIQUE INDEX "anomaly_rule_settings_uq" ON "anomaly_rule_settings"
  ("tenant_id", "rule", coalesce("medium", ''), coalesce("area_id", '00000000-0000-0000-0000-000000000000'::uuid));--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['anomaly_findings','anomaly_finding_events','anomaly_rule_settings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
  -- findings and their history are never deleted by the application: they are resolved or dismissed
  GRANT SELECT, INSERT, UPDATE ON anomaly_findings, anomaly_finding_events TO quadmeter_app;
  GRANT SELECT, INSERT, UPDATE, DELETE ON anomaly_rule_settings TO quadmeter_app;
END $$;
--> statement-breakpoint
DO $$
DECLARE t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    UPDATE roles SET permissions = array_append(permissions, 'analysis.manage')
      WHERE tenant_id = t AND builtin = 'admin' AND NOT ('analysis.manage' = ANY (permissions));
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
