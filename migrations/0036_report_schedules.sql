-- Scheduled reports (docs/decisions/0045-scheduled-reports.md): a built-in report with checked
-- parameters run on a cron in the platform's zone by the creator's frozen area scope; the output is
-- a report_outputs row (kept RETENTION_DAYS) and each recipient gets an email with a link to it.
CREATE TABLE "report_schedules" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "report" text NOT NULL CHECK ("report" ~ '^[a-z][a-z0-9-]{1,62}$'),
  "params" jsonb NOT NULL DEFAULT '{}',
  "format" text NOT NULL CHECK ("format" IN ('xlsx', 'pdf')),
  "lang" text NOT NULL CHECK ("lang" IN ('zh-CN', 'en')),
  "cron" text NOT NULL CHECK (length("cron") BETWEEN 9 AND 100),
  "recipients" text[] NOT NULL CHECK (cardinality("recipients") BETWEEN 1 AND 20),
  -- null: the creator saw the whole tenant
  "area_scope" uuid[],
  "created_by" uuid NOT NULL,
  "created_by_name" text NOT NULL DEFAULT '',
  "enabled" boolean NOT NULL DEFAULT true,
  "next_run_at" timestamp with time zone NOT NULL,
  "last_run_at" timestamp with time zone,
  "last_output_id" uuid,
  -- null: ran; else why the last due run was skipped (creator disabled or lost the permission)
  "last_skip" text,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "report_schedules_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "report_schedules_creator_fk" FOREIGN KEY ("tenant_id", "created_by") REFERENCES "users" ("tenant_id", "id")
);--> statement-breakpoint
CREATE INDEX "report_schedules_due_idx" ON "report_schedules" ("tenant_id", "next_run_at") WHERE "enabled";--> statement-breakpoint
-- staff recipients of a scheduled report are no account's customer
ALTER TABLE "notify_outbox" ALTER COLUMN "account_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notify_deliveries" ALTER COLUMN "account_id" DROP NOT NULL;--> statement-breakpoint
DO $$
BEGIN
  ALTER TABLE report_schedules ENABLE ROW LEVEL SECURITY;
  ALTER TABLE report_schedules FORCE ROW LEVEL SECURITY;
  CREATE POLICY tenant_isolation ON report_schedules USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
  GRANT SELECT, INSERT, UPDATE, DELETE ON report_schedules TO quadmeter_app;
END $$;
--> statement-breakpoint
DO $$
DECLARE t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    UPDATE roles SET permissions = array_append(permissions, 'reports.schedule')
      WHERE tenant_id = t AND builtin = 'admin' AND NOT ('reports.schedule' = ANY (permissions));
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
