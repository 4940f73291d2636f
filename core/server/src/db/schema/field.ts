import {
  customType,
  foreignKey,
  index,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { meters } from './meters.ts';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * Manual readings entered in the field app (migration 0030), keyed by the phone's idempotency
 * key; the reading itself is in readings (kind manual, idem_key `field:<key>`).
 */
export const fieldReadings = pgTable(
  'field_readings',
  {
    tenantId: uuid('tenant_id').notNull(),
    key: uuid('key').notNull(),
    meterId: uuid('meter_id').notNull(),
    ts: timestamp('ts', { withTimezone: true }).notNull(),
    value: numeric('value').notNull(),
    note: text('note').notNull().default(''),
    photoType: text('photo_type', { enum: ['image/jpeg', 'image/png', 'image/webp'] }),
    photo: bytea('photo'),
    enteredBy: uuid('entered_by'),
    enteredByName: text('entered_by_name').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.key] }),
    foreignKey({ columns: [t.tenantId, t.meterId], foreignColumns: [meters.tenantId, meters.id] }),
    index('field_readings_meter_idx').on(t.tenantId, t.meterId, t.ts),
  ],
);
