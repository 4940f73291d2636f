import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Platform events (by operators, outside any tenant) are stored under this tenant id. */
export const PLATFORM_TENANT_ID = '00000000-0000-0000-0000-000000000000';

/** Append-only: the app role may only insert and select; a trigger refuses updates and deletes. */
export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorType: text('actor_type', { enum: ['user', 'operator', 'token', 'system', 'customer'] }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    areaPath: uuid('area_path').array(),
    before: jsonb('before'),
    after: jsonb('after'),
    ip: text('ip'),
    requestId: text('request_id'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('audit_at_idx').on(t.tenantId, t.at),
    // per-object history (services/archives/history.ts)
    index('audit_target_idx').on(t.tenantId, t.targetType, t.targetId, t.at),
  ],
);
