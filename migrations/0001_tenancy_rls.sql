-- Tenancy: the application reaches tenant data only as quadmeter_app, a role that owns nothing and
-- is bound by row-level security on the transaction-local setting app.tenant_id.
-- The role is cluster-wide; several databases of one cluster may migrate at once.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quadmeter_app') THEN
    CREATE ROLE quadmeter_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;--> statement-breakpoint
DO $$ BEGIN
  IF NOT pg_has_role(current_user, 'quadmeter_app', 'MEMBER') THEN
    EXECUTE format('GRANT quadmeter_app TO %I', current_user);
  END IF;
EXCEPTION WHEN unique_violation OR internal_error THEN NULL;
END $$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO quadmeter_app;--> statement-breakpoint
CREATE FUNCTION app_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_tenant_id() TO quadmeter_app;--> statement-breakpoint
GRANT SELECT ON tenants TO quadmeter_app;--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users','roles','user_roles','api_tokens','areas','user_areas','plugin_settings','audit_log'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    IF t = 'audit_log' THEN
      EXECUTE format('GRANT SELECT, INSERT ON %I TO quadmeter_app', t);
    ELSE
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO quadmeter_app', t);
    END IF;
  END LOOP;
END $$;--> statement-breakpoint
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
