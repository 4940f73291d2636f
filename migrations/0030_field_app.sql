-- The field staff's app (抄表APP, docs/decisions/0038-field-app.md).
-- 1. Where a meter is: latitude and longitude (WGS-84), so the app lists the nearest first.
ALTER TABLE "meters" ADD COLUMN "lat" double precision;--> statement-breakpoint
ALTER TABLE "meters" ADD COLUMN "lng" double precision;--> statement-breakpoint
ALTER TABLE "meters" ADD CONSTRAINT "meters_lat_ck" CHECK ("lat" BETWEEN -90 AND 90);--> statement-breakpoint
ALTER TABLE "meters" ADD CONSTRAINT "meters_lng_ck" CHECK ("lng" BETWEEN -180 AND 180);--> statement-breakpoint
ALTER TABLE "meters" ADD CONSTRAINT "meters_latlng_ck" CHECK (("lat" IS NULL) = ("lng" IS NULL));--> statement-breakpoint
-- The work list's "failed read" looks up each meter's latest reading-task attempt.
CREATE INDEX "reading_task_meters_meter_idx" ON "reading_task_meters" ("tenant_id", "meter_id", "updated_at" DESC);--> statement-breakpoint
-- 2. Manual readings entered in the field, keyed by the phone's idempotency key (a UUID the app
--    makes when the reading is entered): a replay of the key answers the stored entry. The reading
--    itself lives in readings (kind 4, manual) under the idem_key 'field:<key>'; this row holds who
--    entered it, the note and the photo (JPEG/PNG/WebP, at most 2 MB, checked by its magic bytes).
CREATE TABLE "field_readings" (
  "tenant_id" uuid NOT NULL,
  "key" uuid NOT NULL,
  "meter_id" uuid NOT NULL,
  "ts" timestamp with time zone NOT NULL,
  "value" numeric NOT NULL,
  "note" text NOT NULL DEFAULT '',
  "photo_type" text CHECK ("photo_type" IN ('image/jpeg', 'image/png', 'image/webp')),
  "photo" bytea,
  "entered_by" uuid,
  "entered_by_name" text NOT NULL DEFAULT '',
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "field_readings_pk" PRIMARY KEY ("tenant_id", "key"),
  CONSTRAINT "field_readings_meter_fk" FOREIGN KEY ("tenant_id", "meter_id") REFERENCES "meters" ("tenant_id", "id"),
  CONSTRAINT "field_readings_photo_ck" CHECK (("photo" IS NULL) = ("photo_type" IS NULL)
    AND ("photo" IS NULL OR octet_length("photo") <= 2097152))
);--> statement-breakpoint
CREATE INDEX "field_readings_meter_idx" ON "field_readings" ("tenant_id", "meter_id", "ts");--> statement-breakpoint
ALTER TABLE "field_readings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "field_readings" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "field_readings" USING (tenant_id = (SELECT app_tenant_id()))
  WITH CHECK (tenant_id = (SELECT app_tenant_id()));--> statement-breakpoint
GRANT SELECT, INSERT ON "field_readings" TO quadmeter_app;--> statement-breakpoint
-- 3. The new permission readings.manual: the built-in administrator holds every permission, the
--    built-in reader (抄表员) gets it with meters.control (the field app's valve and relay buttons),
--    tenant by tenant so the row-level policy admits each update.
DO $$
DECLARE t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    UPDATE roles SET permissions = array_append(permissions, 'readings.manual')
      WHERE tenant_id = t AND builtin IN ('admin', 'reader') AND NOT ('readings.manual' = ANY (permissions));
    UPDATE roles SET permissions = array_append(permissions, 'meters.control')
      WHERE tenant_id = t AND builtin = 'reader' AND NOT ('meters.control' = ANY (permissions));
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
