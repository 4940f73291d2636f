-- Software prepaid (docs/decisions/0031-prepaid-policy-and-state.md): the policy (tenant default,
-- overridable per policy group and per account), the tenant's holiday calendar, each prepaid
-- account's state, its events (one per crossing, unique per account and sequence) and the queue of
-- accounts whose balance changed, filled by a trigger on ledger_entries so posters need not know.
-- Money is integer fen.
CREATE TABLE "prepaid_groups" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL CHECK (length("name") BETWEEN 1 AND 100),
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "prepaid_groups_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "prepaid_groups_name_uq" UNIQUE ("tenant_id", "name")
);--> statement-breakpoint
-- One row per level: the tenant default (group_id and account_id null), a group's or an account's
-- override. A null column inherits from the level above (account → group → tenant → built-in).
CREATE TABLE "prepaid_policies" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "level" text NOT NULL CHECK ("level" IN ('tenant', 'group', 'account')),
  "group_id" uuid,
  "account_id" uuid,
  "alarm1_fen" bigint CHECK ("alarm1_fen" BETWEEN 0 AND 100000000000),
  "alarm2_fen" bigint CHECK ("alarm2_fen" BETWEEN 0 AND 100000000000),
  "overdraft_limit_fen" bigint CHECK ("overdraft_limit_fen" BETWEEN 0 AND 100000000000),
  "cut_delay_minutes" integer CHECK ("cut_delay_minutes" BETWEEN 0 AND 43200),
  "reconnect_threshold_fen" bigint CHECK ("reconnect_threshold_fen" BETWEEN 0 AND 100000000000),
  "hoarding_limit_fen" bigint CHECK ("hoarding_limit_fen" BETWEEN 1 AND 100000000000),
  -- night window in the tenant's zone, 'HH:MM'; start > end spans midnight
  "night_start" text CHECK ("night_start" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  "night_end" text CHECK ("night_end" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  "night_protect" boolean,
  "weekend_protect" boolean,
  "holiday_protect" boolean,
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "prepaid_policies_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "prepaid_policies_level_ck" CHECK (
    ("level" = 'tenant' AND "group_id" IS NULL AND "account_id" IS NULL)
    OR ("level" = 'group' AND "group_id" IS NOT NULL AND "account_id" IS NULL)
    OR ("level" = 'account' AND "group_id" IS NULL AND "account_id" IS NOT NULL)),
  CONSTRAINT "prepaid_policies_group_fk" FOREIGN KEY ("tenant_id", "group_id")
    REFERENCES "prepaid_groups" ("tenant_id", "id") ON DELETE CASCADE,
  CONSTRAINT "prepaid_policies_account_fk" FOREIGN KEY ("tenant_id", "account_id")
    REFERENCES "accounts" ("tenant_id", "id") ON DELETE CASCADE
);--> statement-breakpoint
CREATE UNIQUE INDEX "prepaid_policies_tenant_uq" ON "prepaid_policies" ("tenant_id") WHERE "level" = 'tenant';--> statement-breakpoint
CREATE UNIQUE INDEX "prepaid_policies_group_uq" ON "prepaid_policies" ("tenant_id", "group_id") WHERE "level" = 'group';--> statement-breakpoint
CREATE UNIQUE INDEX "prepaid_policies_account_uq" ON "prepaid_policies" ("tenant_id", "account_id") WHERE "level" = 'account';--> statement-breakpoint
-- the tenant's calendar: statutory holidays and make-up working days (调休) that fall on a weekend
CREATE TABLE "prepaid_holidays" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "day" date NOT NULL,
  "kind" text NOT NULL CHECK ("kind" IN ('holiday', 'workday')),
  "name" text NOT NULL DEFAULT '' CHECK (length("name") <= 100),
  CONSTRAINT "prepaid_holidays_pk" PRIMARY KEY ("tenant_id", "day")
);--> statement-breakpoint
-- one row per prepaid account: where it stands in the state machine
CREATE TABLE "prepaid_accounts" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "account_id" uuid NOT NULL,
  "group_id" uuid,
  "state" text NOT NULL DEFAULT 'normal' CHECK ("state" IN ('normal', 'alarm1', 'alarm2', 'overdraft',
    'cut_pending', 'cut', 'reconnect_pending')),
  "state_since" timestamp with time zone NOT NULL DEFAULT now(),
  -- events recorded so far; the next event is seq + 1
  "seq" integer NOT NULL DEFAULT 0,
  -- manual keep-power (保电): never cut
  "keep_power" boolean NOT NULL DEFAULT false,
  -- cut_pending: when the cut is due (after the delay, moved to the end of a protection window)
  "cut_due_at" timestamp with time zone,
  -- cut or reconnect commands in the outbox and how they stand
  "command_ids" uuid[] NOT NULL DEFAULT '{}',
  "command_status" text NOT NULL DEFAULT 'none' CHECK ("command_status" IN ('none', 'in_flight', 'failed')),
  "command_error" text,
  "next_check_at" timestamp with time zone,
  "balance_fen" bigint NOT NULL DEFAULT 0,
  "evaluated_at" timestamp with time zone,
  CONSTRAINT "prepaid_accounts_pk" PRIMARY KEY ("tenant_id", "account_id"),
  CONSTRAINT "prepaid_accounts_account_fk" FOREIGN KEY ("tenant_id", "account_id")
    REFERENCES "accounts" ("tenant_id", "id") ON DELETE CASCADE,
  CONSTRAINT "prepaid_accounts_group_fk" FOREIGN KEY ("tenant_id", "group_id")
    REFERENCES "prepaid_groups" ("tenant_id", "id") ON DELETE SET NULL
);--> statement-breakpoint
CREATE INDEX "prepaid_accounts_due_idx" ON "prepaid_accounts" ("tenant_id", "next_check_at") WHERE "next_check_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "prepaid_accounts_state_idx" ON "prepaid_accounts" ("tenant_id", "state");--> statement-breakpoint
-- one row per crossing (and per deferral or command failure), never two for one sequence number
CREATE TABLE "prepaid_events" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "account_id" uuid NOT NULL,
  "seq" integer NOT NULL,
  "kind" text NOT NULL CHECK (length("kind") BETWEEN 1 AND 40),
  "from_state" text NOT NULL,
  "to_state" text NOT NULL,
  "balance_fen" bigint NOT NULL,
  -- the notice sent for it (event name) and its key; null when the crossing has no notice
  "notice" text,
  "notice_key" text,
  "detail" jsonb NOT NULL DEFAULT '{}',
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "prepaid_events_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "prepaid_events_seq_uq" UNIQUE ("tenant_id", "account_id", "seq"),
  CONSTRAINT "prepaid_events_account_fk" FOREIGN KEY ("tenant_id", "account_id")
    REFERENCES "accounts" ("tenant_id", "id") ON DELETE CASCADE
);--> statement-breakpoint
CREATE INDEX "prepaid_events_account_idx" ON "prepaid_events" ("tenant_id", "account_id", "seq" DESC);--> statement-breakpoint
-- accounts whose balance changed since they were last evaluated
CREATE TABLE "prepaid_dirty" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "account_id" uuid NOT NULL,
  "queued_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "prepaid_dirty_pk" PRIMARY KEY ("tenant_id", "account_id")
);--> statement-breakpoint
CREATE FUNCTION "ledger_entries_prepaid_dirty"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE n integer;
BEGIN
  -- accounts ever in prepaid mode; the evaluator checks the mode in force
  INSERT INTO prepaid_dirty AS d (tenant_id, account_id)
    SELECT DISTINCT r.tenant_id, r.account_id FROM new_rows r
    WHERE EXISTS (SELECT 1 FROM account_billing_modes m
                  WHERE m.tenant_id = r.tenant_id AND m.account_id = r.account_id AND m.mode = 'prepaid')
    ORDER BY 1, 2
  ON CONFLICT (tenant_id, account_id) DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    PERFORM pg_notify('prepaid_dirty', t.tenant_id::text) FROM (SELECT DISTINCT tenant_id FROM new_rows) t;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "ledger_entries_prepaid" AFTER INSERT ON "ledger_entries"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "ledger_entries_prepaid_dirty"();--> statement-breakpoint
-- a prepaid cut or reconnect that ended wakes its account at once (no waiting for the minute tick)
CREATE FUNCTION "meter_commands_prepaid_dirty"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO prepaid_dirty (tenant_id, account_id)
    SELECT m.tenant_id, m.account_id FROM meters m
    WHERE m.tenant_id = NEW.tenant_id AND m.id = NEW.meter_id AND m.account_id IS NOT NULL
  ON CONFLICT (tenant_id, account_id) DO NOTHING;
  PERFORM pg_notify('prepaid_dirty', NEW.tenant_id::text);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "meter_commands_prepaid" AFTER UPDATE OF "status" ON "meter_commands"
  FOR EACH ROW WHEN (NEW."source" = 'prepaid' AND NEW."status" IS DISTINCT FROM OLD."status"
    AND NEW."status" IN ('confirmed', 'failed', 'expired', 'cancelled'))
  EXECUTE FUNCTION "meter_commands_prepaid_dirty"();--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['prepaid_groups','prepaid_policies','prepaid_holidays','prepaid_accounts',
    'prepaid_events','prepaid_dirty'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
  GRANT SELECT, INSERT, UPDATE, DELETE ON prepaid_groups, prepaid_policies, prepaid_holidays, prepaid_dirty TO quadmeter_app;
  GRANT SELECT, INSERT, UPDATE ON prepaid_accounts TO quadmeter_app;
  -- events are history: never changed or removed by the application
  GRANT SELECT, INSERT ON prepaid_events TO quadmeter_app;
END $$;
--> statement-breakpoint
-- the built-in admin role of existing tenants takes the new permission
DO $$
DECLARE t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    UPDATE roles SET permissions = array_append(permissions, 'prepaid.manage')
      WHERE tenant_id = t AND builtin = 'admin' AND NOT ('prepaid.manage' = ANY (permissions));
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
