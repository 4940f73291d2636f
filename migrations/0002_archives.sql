-- Archives: customers, accounts, meters and how they are reached, gateways, lifecycle events,
-- groups, custom fields and imports. pg_trgm (a trusted extension) backs the search indexes.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "custom_fields" (
	"tenant_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"key" text NOT NULL,
	"label" jsonb NOT NULL,
	"type" text NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"options" text[],
	"sort" smallint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "custom_fields_tenant_id_entity_key_pk" PRIMARY KEY("tenant_id","entity","key")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"entity" text NOT NULL,
	"file_name" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"report" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "imports_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "account_billing_modes" (
	"tenant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"effective_from" date NOT NULL,
	"mode" text NOT NULL,
	CONSTRAINT "account_billing_modes_tenant_id_account_id_effective_from_pk" PRIMARY KEY("tenant_id","account_id","effective_from")
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"number" text NOT NULL,
	"reading_day" smallint DEFAULT 1 NOT NULL,
	"billing_cycle_months" smallint DEFAULT 1 NOT NULL,
	"tariff_plans" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"deposit_fen" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "accounts_number_uq" UNIQUE("tenant_id","number")
);
--> statement-breakpoint
CREATE TABLE "customer_facts" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"effective_from" date NOT NULL,
	"value" numeric(12, 2) NOT NULL,
	CONSTRAINT "customer_facts_tenant_id_customer_id_kind_effective_from_pk" PRIMARY KEY("tenant_id","customer_id","kind","effective_from")
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"name" text NOT NULL,
	"type" text DEFAULT 'resident' NOT NULL,
	"phone" text,
	"id_number" text,
	"address" text,
	"area_id" uuid NOT NULL,
	"low_income" boolean DEFAULT false NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "customers_number_uq" UNIQUE("tenant_id","number")
);
--> statement-breakpoint
CREATE TABLE "collectors" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"interface" text NOT NULL,
	"address" text NOT NULL,
	"concentrator_id" uuid,
	"area_id" uuid NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collectors_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "collectors_number_uq" UNIQUE("tenant_id","number")
);
--> statement-breakpoint
CREATE TABLE "concentrators" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"a1" text NOT NULL,
	"a2" integer NOT NULL,
	"protocol" text DEFAULT 'gdw1376' NOT NULL,
	"sim" text,
	"iccid" text,
	"area_id" uuid NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"online" boolean DEFAULT false NOT NULL,
	"last_heartbeat_at" timestamp with time zone,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "concentrators_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "concentrators_number_uq" UNIQUE("tenant_id","number"),
	CONSTRAINT "concentrators_address_uq" UNIQUE("tenant_id","a1","a2")
);
--> statement-breakpoint
CREATE TABLE "meter_events" (
	"tenant_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "meter_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"meter_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"readings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"related_meter_id" uuid,
	"from_account_id" uuid,
	"to_account_id" uuid,
	CONSTRAINT "meter_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "meter_group_members" (
	"tenant_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"meter_id" uuid NOT NULL,
	CONSTRAINT "meter_group_members_tenant_id_group_id_meter_id_pk" PRIMARY KEY("tenant_id","group_id","meter_id")
);
--> statement-breakpoint
CREATE TABLE "meter_groups" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"filter" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meter_groups_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "meter_groups_name_uq" UNIQUE("tenant_id","name")
);
--> statement-breakpoint
CREATE TABLE "meter_relations" (
	"tenant_id" uuid NOT NULL,
	"parent_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	CONSTRAINT "meter_relations_tenant_id_parent_id_child_id_pk" PRIMARY KEY("tenant_id","parent_id","child_id")
);
--> statement-breakpoint
CREATE TABLE "meter_routes" (
	"tenant_id" uuid NOT NULL,
	"meter_id" uuid NOT NULL,
	"via" text NOT NULL,
	"line" text NOT NULL,
	"address" text NOT NULL,
	"baud" integer,
	"parity" text,
	"collector_id" uuid,
	"channel" smallint,
	"concentrator_id" uuid,
	"point_no" integer,
	"port" smallint,
	CONSTRAINT "meter_routes_tenant_id_meter_id_pk" PRIMARY KEY("tenant_id","meter_id"),
	CONSTRAINT "meter_routes_key_uq" UNIQUE("tenant_id","via","line","address"),
	CONSTRAINT "meter_routes_point_uq" UNIQUE("tenant_id","concentrator_id","point_no")
);
--> statement-breakpoint
CREATE TABLE "meters" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"asset_no" text NOT NULL,
	"comm_address" text NOT NULL,
	"protocol" text NOT NULL,
	"vendor_profile" text,
	"model" text,
	"vendor" text,
	"ct_ratio" integer DEFAULT 1 NOT NULL,
	"pt_ratio" integer DEFAULT 1 NOT NULL,
	"digits" smallint DEFAULT 8 NOT NULL,
	"initial_reading" numeric(20, 4) DEFAULT '0' NOT NULL,
	"install_date" date,
	"location" text,
	"area_id" uuid NOT NULL,
	"account_id" uuid,
	"control" text DEFAULT 'none' NOT NULL,
	"status" text DEFAULT 'in_stock' NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meters_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "meters_asset_uq" UNIQUE("tenant_id","asset_no")
);
--> statement-breakpoint
ALTER TABLE "custom_fields" ADD CONSTRAINT "custom_fields_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_billing_modes" ADD CONSTRAINT "account_billing_modes_tenant_id_account_id_accounts_tenant_id_id_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_facts" ADD CONSTRAINT "customer_facts_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_tenant_id_area_id_areas_tenant_id_id_fk" FOREIGN KEY ("tenant_id","area_id") REFERENCES "public"."areas"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collectors" ADD CONSTRAINT "collectors_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collectors" ADD CONSTRAINT "collectors_tenant_id_area_id_areas_tenant_id_id_fk" FOREIGN KEY ("tenant_id","area_id") REFERENCES "public"."areas"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collectors" ADD CONSTRAINT "collectors_tenant_id_concentrator_id_concentrators_tenant_id_id_fk" FOREIGN KEY ("tenant_id","concentrator_id") REFERENCES "public"."concentrators"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concentrators" ADD CONSTRAINT "concentrators_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concentrators" ADD CONSTRAINT "concentrators_tenant_id_area_id_areas_tenant_id_id_fk" FOREIGN KEY ("tenant_id","area_id") REFERENCES "public"."areas"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_events" ADD CONSTRAINT "meter_events_tenant_id_meter_id_meters_tenant_id_id_fk" FOREIGN KEY ("tenant_id","meter_id") REFERENCES "public"."meters"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_group_members" ADD CONSTRAINT "meter_group_members_tenant_id_group_id_meter_groups_tenant_id_id_fk" FOREIGN KEY ("tenant_id","group_id") REFERENCES "public"."meter_groups"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_group_members" ADD CONSTRAINT "meter_group_members_tenant_id_meter_id_meters_tenant_id_id_fk" FOREIGN KEY ("tenant_id","meter_id") REFERENCES "public"."meters"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_groups" ADD CONSTRAINT "meter_groups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_relations" ADD CONSTRAINT "meter_relations_tenant_id_parent_id_meters_tenant_id_id_fk" FOREIGN KEY ("tenant_id","parent_id") REFERENCES "public"."meters"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_relations" ADD CONSTRAINT "meter_relations_tenant_id_child_id_meters_tenant_id_id_fk" FOREIGN KEY ("tenant_id","child_id") REFERENCES "public"."meters"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_routes" ADD CONSTRAINT "meter_routes_tenant_id_meter_id_meters_tenant_id_id_fk" FOREIGN KEY ("tenant_id","meter_id") REFERENCES "public"."meters"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_routes" ADD CONSTRAINT "meter_routes_tenant_id_collector_id_collectors_tenant_id_id_fk" FOREIGN KEY ("tenant_id","collector_id") REFERENCES "public"."collectors"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_routes" ADD CONSTRAINT "meter_routes_tenant_id_concentrator_id_concentrators_tenant_id_id_fk" FOREIGN KEY ("tenant_id","concentrator_id") REFERENCES "public"."concentrators"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meters" ADD CONSTRAINT "meters_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meters" ADD CONSTRAINT "meters_tenant_id_area_id_areas_tenant_id_id_fk" FOREIGN KEY ("tenant_id","area_id") REFERENCES "public"."areas"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meters" ADD CONSTRAINT "meters_tenant_id_account_id_accounts_tenant_id_id_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accounts_customer_idx" ON "accounts" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "customers_area_idx" ON "customers" USING btree ("tenant_id","area_id","number");--> statement-breakpoint
CREATE INDEX "customers_name_trgm" ON "customers" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_number_trgm" ON "customers" USING gin ("number" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_address_trgm" ON "customers" USING gin ("address" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_phone_trgm" ON "customers" USING gin ("phone" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "meter_events_meter_idx" ON "meter_events" USING btree ("tenant_id","meter_id","at");--> statement-breakpoint
CREATE INDEX "meters_area_idx" ON "meters" USING btree ("tenant_id","area_id","asset_no");--> statement-breakpoint
CREATE INDEX "meters_account_idx" ON "meters" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE INDEX "meters_status_kind_idx" ON "meters" USING btree ("tenant_id","status","kind","asset_no");--> statement-breakpoint
CREATE INDEX "meters_asset_trgm" ON "meters" USING gin ("asset_no" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "meters_comm_trgm" ON "meters" USING gin ("comm_address" gin_trgm_ops);--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['customers','customer_facts','accounts','account_billing_modes','concentrators',
    'collectors','meters','meter_routes','meter_events','meter_relations','meter_groups','meter_group_members',
    'custom_fields','imports'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    IF t = 'meter_events' THEN
      EXECUTE format('GRANT SELECT, INSERT ON %I TO quadmeter_app', t);
    ELSE
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO quadmeter_app', t);
    END IF;
  END LOOP;
END $$;--> statement-breakpoint
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;--> statement-breakpoint
CREATE TRIGGER meter_events_no_update BEFORE UPDATE OR DELETE ON meter_events
  FOR EACH ROW EXECUTE FUNCTION append_only();
--> statement-breakpoint
-- The archive permissions replace archives.read/manage in existing roles; built-in admin roles get
-- every new key. Roles are row-level-secured, so each tenant is bound in turn.
DO $$
DECLARE tid uuid;
BEGIN
  FOR tid IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', tid::text, true);
    UPDATE roles SET permissions = ARRAY(
      SELECT DISTINCT p FROM unnest(
        permissions
        || CASE WHEN 'archives.read' = ANY(permissions) THEN ARRAY['customers.read','meters.read'] ELSE '{}'::text[] END
        || CASE WHEN 'archives.manage' = ANY(permissions) OR builtin = 'admin'
                THEN ARRAY['customers.write','customers.pii','meters.write','archives.import'] ELSE '{}'::text[] END
        || CASE WHEN builtin = 'admin' THEN ARRAY['customers.read','meters.read'] ELSE '{}'::text[] END
      ) AS p WHERE p NOT IN ('archives.read', 'archives.manage') ORDER BY p);
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
