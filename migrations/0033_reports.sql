-- Designable reports (docs/decisions/0041-reports.md): report layouts are tenant-written
-- Handlebars kept as numbered versions per built-in report; the newest version is the layout in
-- force (none: the shipped default under templates/reports/). Versions are never deleted.
CREATE TABLE "report_layout_versions" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "report" text NOT NULL CHECK ("report" ~ '^[a-z][a-z0-9-]{1,62}$'),
  "version" integer NOT NULL CHECK ("version" >= 1),
  "source" text NOT NULL CHECK (length("source") BETWEEN 1 AND 65536),
  "orientation" text NOT NULL DEFAULT 'portrait' CHECK ("orientation" IN ('portrait', 'landscape')),
  "note" text NOT NULL DEFAULT '' CHECK (length("note") <= 200),
  "created_by_name" text NOT NULL DEFAULT '',
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "report_layout_versions_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "report_layout_versions_uq" UNIQUE ("tenant_id", "report", "version")
);--> statement-breakpoint
-- A report export run as a pg-boss job (long reports): its parameters, the requester's area scope
-- (the job runs with it), progress, and the file kept for download until expires_at (retention).
CREATE TABLE "report_outputs" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "report" text NOT NULL CHECK ("report" ~ '^[a-z][a-z0-9-]{1,62}$'),
  "params" jsonb NOT NULL DEFAULT '{}',
  "format" text NOT NULL CHECK ("format" IN ('xlsx', 'pdf')),
  "lang" text NOT NULL CHECK ("lang" IN ('zh-CN', 'en')),
  "status" text NOT NULL DEFAULT 'queued' CHECK ("status" IN ('queued', 'running', 'done', 'failed')),
  "progress" smallint NOT NULL DEFAULT 0 CHECK ("progress" BETWEEN 0 AND 100),
  "rows" integer,
  "bytes" bytea,
  "error" text,
  -- null: the requester saw the whole tenant
  "area_scope" uuid[],
  "requested_by" uuid NOT NULL,
  "requested_by_name" text NOT NULL DEFAULT '',
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "finished_at" timestamp with time zone,
  "expires_at" timestamp with time zone NOT NULL,
  CONSTRAINT "report_outputs_pk" PRIMARY KEY ("tenant_id", "id")
);--> statement-breakpoint
CREATE INDEX "report_outputs_requester_idx" ON "report_outputs" ("tenant_id", "requested_by", "created_at" DESC);--> statement-breakpoint
CREATE INDEX "report_outputs_expiry_idx" ON "report_outputs" ("tenant_id", "expires_at");--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['report_layout_versions','report_outputs'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
  GRANT SELECT, INSERT ON report_layout_versions TO quadmeter_app;
  -- outputs are deleted when they expire (retention)
  GRANT SELECT, INSERT, UPDATE, DELETE ON report_outputs TO quadmeter_app;
END $$;
--> statement-breakpoint
DO $$
DECLARE t uuid;
  k text;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    FOREACH k IN ARRAY ARRAY['reports.read','reports.design'] LOOP
      UPDATE roles SET permissions = array_append(permissions, k)
        WHERE tenant_id = t AND builtin = 'admin' AND NOT (k = ANY (permissions));
    END LOOP;
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
