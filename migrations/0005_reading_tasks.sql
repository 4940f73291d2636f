-- Reading tasks (抄表任务) and schedules (抄表计划): what the reading engine polls, with one row per
-- meter and task recording its outcome and the key of the reading it stored. Hand-written like 0004.
CREATE TABLE "reading_schedules" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL,
  "target" text NOT NULL CHECK ("target" IN ('meter', 'group', 'area')),
  "target_id" uuid NOT NULL,
  "kind" text NOT NULL CHECK ("kind" IN ('realtime', 'daily', 'monthly')),
  "frequency" text NOT NULL CHECK ("frequency" IN ('hourly', 'daily', 'weekly', 'monthly', 'cron')),
  -- five-field cron in the tenant's zone; the presets are stored as their cron too
  "cron" text NOT NULL,
  "rounds" smallint NOT NULL DEFAULT 3 CHECK ("rounds" BETWEEN 0 AND 10),
  "enabled" boolean NOT NULL DEFAULT true,
  -- the latest slot a task was created for (by any server process)
  "last_slot" timestamp with time zone,
  "created_by" uuid,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "reading_schedules_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "reading_schedules_name_uq" UNIQUE ("tenant_id", "name")
);--> statement-breakpoint
CREATE TABLE "reading_tasks" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants" ("id"),
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "target" text NOT NULL CHECK ("target" IN ('meter', 'meters', 'group', 'area')),
  "target_id" uuid,
  "kind" text NOT NULL CHECK ("kind" IN ('realtime', 'daily', 'monthly')),
  "frozen_for" text,
  "status" text NOT NULL DEFAULT 'queued' CHECK ("status" IN ('queued', 'running', 'done', 'failed')),
  -- retry rounds (补抄) after the first; `round` is the one under way
  "rounds" smallint NOT NULL DEFAULT 3,
  "round" smallint NOT NULL DEFAULT 0,
  -- a real-time read that failed every round falls back to the day's frozen value
  "fallback" boolean NOT NULL DEFAULT true,
  "schedule_id" uuid,
  -- the schedule slot this task runs: (schedule, slot) is created once, whichever process sees it
  "slot" timestamp with time zone,
  "created_by" uuid,
  "created_by_name" text NOT NULL DEFAULT '',
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "started_at" timestamp with time zone,
  "finished_at" timestamp with time zone,
  -- the process running it and until when; a lapsed lease is taken over
  "lease_owner" text,
  "lease_until" timestamp with time zone,
  "error" text,
  CONSTRAINT "reading_tasks_pk" PRIMARY KEY ("tenant_id", "id"),
  CONSTRAINT "reading_tasks_slot_uq" UNIQUE ("tenant_id", "schedule_id", "slot"),
  CONSTRAINT "reading_tasks_frozen_ck" CHECK (
    ("kind" = 'realtime' AND "frozen_for" IS NULL)
    OR ("kind" = 'daily' AND "frozen_for" ~ '^\d{4}-\d{2}-\d{2}$')
    OR ("kind" = 'monthly' AND "frozen_for" ~ '^\d{4}-\d{2}$'))
);--> statement-breakpoint
CREATE INDEX "reading_tasks_list_idx" ON "reading_tasks" ("tenant_id", "created_at" DESC, "id" DESC);--> statement-breakpoint
CREATE INDEX "reading_tasks_open_idx" ON "reading_tasks" ("tenant_id", "status") WHERE "status" IN ('queued', 'running');--> statement-breakpoint
-- One row per meter of a task: its route as it was when the task started (line key or
-- concentrator, for the per-line summaries), the outcome (null while pending) and the stored
-- reading's key (meter_id, reading_kind, reading_ts).
CREATE TABLE "reading_task_meters" (
  "tenant_id" uuid NOT NULL,
  "task_id" uuid NOT NULL,
  "meter_id" uuid NOT NULL,
  "area_id" uuid NOT NULL,
  "via" text,
  "line" text,
  "concentrator_id" uuid,
  "transport" text,
  "outcome" text CHECK ("outcome" IN ('ok', 'pushed', 'fallback_daily', 'push_only', 'timeout', 'checksum',
    'meter_error', 'no_route', 'offline', 'unsupported', 'rejected')),
  "detail" text,
  "attempts" smallint NOT NULL DEFAULT 0,
  "reading_kind" smallint,
  "reading_ts" timestamp with time zone,
  "updated_at" timestamp with time zone,
  CONSTRAINT "reading_task_meters_pk" PRIMARY KEY ("tenant_id", "task_id", "meter_id"),
  CONSTRAINT "reading_task_meters_task_fk" FOREIGN KEY ("tenant_id", "task_id")
    REFERENCES "reading_tasks" ("tenant_id", "id") ON DELETE CASCADE
);--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['reading_schedules','reading_tasks','reading_task_meters'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO quadmeter_app', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- The built-in administrator role holds every permission: existing tenants' get the new one too
-- (tenant by tenant, so the row-level policy admits each update whatever role migrates).
DO $$
DECLARE t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    UPDATE roles SET permissions = array_append(permissions, 'readings.schedule')
      WHERE tenant_id = t AND builtin = 'admin' AND NOT ('readings.schedule' = ANY (permissions));
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
