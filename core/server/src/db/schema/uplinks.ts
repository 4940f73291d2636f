import { sql } from 'drizzle-orm';
import {
  foreignKey,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { meters } from './meters.ts';
import { tenants } from './platform.ts';

export const uplinkStatuses = ['pending', 'assigned', 'dismissed'] as const;

/**
 * An uplink a push transport handed in for a tenant whose route resolved to no meter (migration
 * 0006, docs/decisions/0014): the reading is kept whole until it is assigned to a meter or
 * dismissed. One row per idempotency key.
 */
export const unmatchedUplinks = pgTable(
  'unmatched_uplinks',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    pluginId: text('plugin_id').notNull(),
    via: text('via').notNull(),
    /** NB-IoT device id / IMEI, LoRa DevEUI, serial address, concentrator point */
    deviceId: text('device_id').notNull(),
    /** NB-IoT platform, serial line, concentrator A1-A2 */
    platform: text('platform'),
    reason: text('reason').notNull(),
    idemKey: text('idem_key').notNull(),
    /** the RawReading as handed in */
    reading: jsonb('reading').notNull(),
    raw: text('raw'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** deliveries of the same message (replays) */
    seen: integer('seen').notNull().default(1),
    status: text('status', { enum: uplinkStatuses }).notNull().default('pending'),
    meterId: uuid('meter_id'),
    /** the ingest outcome of the assignment */
    result: text('result'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
  },
  (t) => [
    primaryKey({ name: 'unmatched_uplinks_pk', columns: [t.tenantId, t.id] }),
    unique('unmatched_uplinks_key_uq').on(t.tenantId, t.idemKey),
    foreignKey({
      name: 'unmatched_uplinks_meter_fk',
      columns: [t.tenantId, t.meterId],
      foreignColumns: [meters.tenantId, meters.id],
    }),
  ],
);
