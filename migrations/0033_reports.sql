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
ALTER TABLE "report_layout_versions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "report_layout_versions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "report_layout_versions"
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());--> statement-breakpoint
GRANT SELECT, INSERT ON "report_layout_versions" TO quadmeter_app;--> statement-breakpoint
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
