import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Platform-level (migrations/0035, docs/scaling.md): which gateway node owns a long-lived resource
 * ('<transport>:<line>'). No tenant_id: a physical line is the transport's instance-wide resource
 * and may carry meters of several tenants. Closed to quadmeter_app; `token` is the fencing token.
 */
export const gatewayLeases = pgTable(
  'gateway_leases',
  {
    resource: text('resource').primaryKey(),
    owner: text('owner').notNull(),
    token: bigint('token', { mode: 'number' }).notNull(),
    acquiredAt: timestamp('acquired_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('gateway_leases_owner_idx').on(t.owner)],
);
