import { boolean, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './platform.ts';

export const customFieldEntities = ['customer', 'account', 'meter', 'collector', 'concentrator'] as const;
export const customFieldTypes = ['text', 'number', 'date', 'select', 'boolean'] as const;

/** A tenant's own fields per entity, shown in forms, lists, filters, imports and exports. */
export const customFields = pgTable(
  'custom_fields',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    entity: text('entity', { enum: customFieldEntities }).notNull(),
    key: text('key').notNull(),
    /** `{ "zh-CN": …, "en": … }` */
    label: jsonb('label').notNull(),
    type: text('type', { enum: customFieldTypes }).notNull(),
    required: boolean('required').notNull().default(false),
    options: text('options').array(),
    sort: smallint('sort').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.entity, t.key] })],
);

/** Bulk imports: validated, reported as a dry run, then applied in one transaction or not at all. */
export const imports = pgTable(
  'imports',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    entity: text('entity').notNull(),
    fileName: text('file_name').notNull(),
    status: text('status', { enum: ['queued', 'validating', 'validated', 'applying', 'applied', 'failed'] })
      .notNull()
      .default('queued'),
    /** rows done so far, for the admin's progress bar */
    progress: jsonb('progress').notNull().default({}),
    /** created / updated / unchanged / errors counts and the error rows */
    report: jsonb('report'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
