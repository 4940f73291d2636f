import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { areas } from './areas.ts';
import { users } from './identity.ts';
import { meters } from './meters.ts';
import { tenants } from './platform.ts';

/**
 * The exception queue (migrations/0031, docs/decisions/0039-vee.md): one finding per meter and
 * rule while open or assigned (a partial unique index in the migration); a repeat updates it.
 */
export const anomalyFindings = pgTable(
  'anomaly_findings',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    meterId: uuid('meter_id').notNull(),
    areaId: uuid('area_id').notNull(),
    rule: text('rule').notNull(),
    severity: text('severity', { enum: ['info', 'warning', 'critical'] }).notNull(),
    status: text('status', { enum: ['open', 'assigned', 'resolved', 'dismissed'] })
      .notNull()
      .default('open'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    occurrences: integer('occurrences').notNull().default(1),
    evidence: jsonb('evidence').notNull().default({}),
    assignedTo: uuid('assigned_to'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    note: text('note').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.meterId], foreignColumns: [meters.tenantId, meters.id] }),
    foreignKey({ columns: [t.tenantId, t.assignedTo], foreignColumns: [users.tenantId, users.id] }),
    index('anomaly_findings_queue_idx').on(t.tenantId, t.status, t.lastSeenAt, t.id),
    index('anomaly_findings_meter_idx').on(t.tenantId, t.meterId, t.lastSeenAt),
  ],
);

/** The history of a finding: opened, assigned, notes, resolved or dismissed. */
export const anomalyFindingEvents = pgTable(
  'anomaly_finding_events',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    findingId: uuid('finding_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    action: text('action', {
      enum: ['opened', 'repeated', 'assigned', 'note', 'resolved', 'dismissed'],
    }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull().default(''),
    note: text('note').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.findingId],
      foreignColumns: [anomalyFindings.tenantId, anomalyFindings.id],
    }),
    index('anomaly_finding_events_finding_idx').on(t.tenantId, t.findingId, t.at),
  ],
);

/** A tenant's thresholds of a rule for all meters, one medium, one area, or both (defaults in code). */
export const anomalyRuleSettings = pgTable(
  'anomaly_rule_settings',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    rule: text('rule').notNull(),
    medium: text('medium', { enum: ['water', 'electricity', 'gas', 'heat'] }),
    areaId: uuid('area_id'),
    enabled: boolean('enabled').notNull().default(true),
    params: jsonb('params').notNull().default({}),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.areaId], foreignColumns: [areas.tenantId, areas.id] }),
  ],
);
