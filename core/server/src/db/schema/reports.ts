import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenants } from './platform.ts';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * Report layout versions (migration 0033, docs/decisions/0041): tenant Handlebars per built-in
 * report; the newest version is the layout in force. Written through raw SQL in
 * services/reports/layouts.ts; this is the typed picture of the table.
 */
export const reportLayoutVersions = pgTable(
  'report_layout_versions',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    report: text('report').notNull(),
    version: integer('version').notNull(),
    source: text('source').notNull(),
    orientation: text('orientation').notNull().default('portrait'),
    note: text('note').notNull().default(''),
    createdByName: text('created_by_name').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'report_layout_versions_pk', columns: [t.tenantId, t.id] }),
    unique('report_layout_versions_uq').on(t.tenantId, t.report, t.version),
  ],
);

/** Report exports run as jobs, with the requester's frozen area scope and the kept file. */
export const reportOutputs = pgTable(
  'report_outputs',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    report: text('report').notNull(),
    params: jsonb('params').notNull().default({}),
    format: text('format').notNull(),
    lang: text('lang').notNull(),
    status: text('status').notNull().default('queued'),
    progress: smallint('progress').notNull().default(0),
    rows: integer('rows'),
    bytes: bytea('bytes'),
    error: text('error'),
    areaScope: uuid('area_scope').array(),
    requestedBy: uuid('requested_by').notNull(),
    requestedByName: text('requested_by_name').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'report_outputs_pk', columns: [t.tenantId, t.id] }),
    index('report_outputs_requester_idx').on(t.tenantId, t.requestedBy, t.createdAt.desc()),
    index('report_outputs_expiry_idx').on(t.tenantId, t.expiresAt),
  ],
);

/** Scheduled reports (migration 0036, docs/decisions/0045): a report on a cron, emailed. */
export const reportSchedules = pgTable(
  'report_schedules',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    report: text('report').notNull(),
    params: jsonb('params').notNull().default({}),
    format: text('format').notNull(),
    lang: text('lang').notNull(),
    cron: text('cron').notNull(),
    recipients: text('recipients').array().notNull(),
    areaScope: uuid('area_scope').array(),
    createdBy: uuid('created_by').notNull(),
    createdByName: text('created_by_name').notNull().default(''),
    enabled: boolean('enabled').notNull().default(true),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    lastOutputId: uuid('last_output_id'),
    lastSkip: text('last_skip'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'report_schedules_pk', columns: [t.tenantId, t.id] }),
    index('report_schedules_due_idx').on(t.tenantId, t.nextRunAt),
  ],
);
