-- Printed documents (docs/decisions/0035-documents.md): numbering series per tenant and kind
-- (gap-free: the counter row is locked in the transaction that issues the document), tenant
-- template versions (publish makes one current; rollback publishes an older one again), and the
-- issued documents with their data, the template version and the rendered HTML, so a re-print
-- renders the same page.
CREATE TABLE "document_series" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "kind" text NOT NULL CHECK ("kind" IN ('receipt', 'invoice', 'payment-notice', 'arrears-notice')),
  "pattern" text NOT NULL CHECK (length("pattern") BETWEEN 1 AND 64),
  "next_seq" bigint NOT NULL DEFAULT 1 CHECK ("next_seq" >= 1),
  -- the period (e.g. 2026 for {yyyy}) the counter counts in; a new period restarts at 1
  "period" text NOT NULL DEFAULT '',
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "document_series_pk" PRIMARY KEY ("tenant_id", "kind")
);--> statement-breakpoint
CREATE TABLE "document_template_versions" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "kind" text NOT NULL CHECK ("kind" IN ('receipt', 'invoice', 'payment-notice', 'arrears-notice')),
  "variant" text NOT NULL CHECK ("variant" IN ('a4', 'thermal80')),
  "version" integer NOT NULL CHECK ("version" >= 1),
  "source" text NOT NULL CHECK (length("source") BETWEEN 1 AND 65536),
  "note" text NOT NULL DEFAULT '' CHECK (length("note") <= 200),
  "created_by_name" text NOT NULL DEFAULT '',
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "published_at" timestamp with time zone,
  CONSTRAINT "document_template_versions_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "document_template_versions_uq" UNIQUE ("tenant_id", "kind", "variant", "version")
);--> statement-breakpoint
CREATE TABLE "document_templates_current" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "kind" text NOT NULL,
  "variant" text NOT NULL,
  "version_id" uuid NOT NULL,
  "published_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "document_templates_current_pk" PRIMARY KEY ("tenant_id", "kind", "variant"),
  CONSTRAINT "document_templates_current_version_fk" FOREIGN KEY ("tenant_id", "version_id")
    REFERENCES "document_template_versions" ("tenant_id", "id")
);--> statement-breakpoint
CREATE TABLE "documents" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "number" text NOT NULL,
  "kind" text NOT NULL CHECK ("kind" IN ('receipt', 'invoice', 'payment-notice', 'arrears-notice')),
  "variant" text NOT NULL CHECK ("variant" IN ('a4', 'thermal80')),
  "account_id" uuid NOT NULL,
  "source_type" text NOT NULL CHECK ("source_type" IN ('payment', 'bill', 'run', 'account')),
  "source_id" uuid NOT NULL,
  "run_id" uuid,
  -- the view model rendered, and the template it was rendered with (null: the shipped default)
  "data" jsonb NOT NULL,
  "template_version_id" uuid,
  "html" text NOT NULL,
  "status" text NOT NULL DEFAULT 'issued' CHECK ("status" IN ('issued', 'voided')),
  "issued_by_name" text NOT NULL DEFAULT '',
  "issued_at" timestamp with time zone NOT NULL DEFAULT now(),
  "void_reason" text CHECK (length("void_reason") <= 200),
  "voided_by_name" text,
  "voided_at" timestamp with time zone,
  CONSTRAINT "documents_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "documents_number_uq" UNIQUE ("tenant_id", "kind", "number"),
  CONSTRAINT "documents_account_fk" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts" ("tenant_id", "id"),
  CONSTRAINT "documents_void_ck" CHECK (("status" = 'voided') = ("void_reason" IS NOT NULL))
);--> statement-breakpoint
-- one live document of a kind per source: issuing again answers it; after a void a new one may be issued
CREATE UNIQUE INDEX "documents_live_source_uq" ON "documents" ("tenant_id", "kind", "source_type", "source_id")
  WHERE "status" = 'issued';--> statement-breakpoint
CREATE INDEX "documents_account_idx" ON "documents" ("tenant_id", "account_id", "issued_at" DESC);--> statement-breakpoint
CREATE INDEX "documents_run_idx" ON "documents" ("tenant_id", "run_id") WHERE "run_id" IS NOT NULL;--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['document_series','document_template_versions','document_templates_current','documents'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
  GRANT SELECT, INSERT, UPDATE ON document_series, document_templates_current TO quadmeter_app;
  -- versions and documents are never deleted by the application; a document is voided, not removed
  GRANT SELECT, INSERT, UPDATE ON document_template_versions, documents TO quadmeter_app;
END $$;
--> statement-breakpoint
DO $$
DECLARE t uuid;
  k text;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    FOREACH k IN ARRAY ARRAY['documents.read','documents.issue','documents.void','documents.design'] LOOP
      UPDATE roles SET permissions = array_append(permissions, k)
        WHERE tenant_id = t AND builtin = 'admin' AND NOT (k = ANY (permissions));
    END LOOP;
    UPDATE roles SET permissions = array_append(permissions, 'documents.read')
      WHERE tenant_id = t AND builtin = 'cashier' AND NOT ('documents.read' = ANY (permissions));
    UPDATE roles SET permissions = array_append(permissions, 'documents.issue')
      WHERE tenant_id = t AND builtin = 'cashier' AND NOT ('documents.issue' = ANY (permissions));
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
