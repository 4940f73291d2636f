import { sql } from 'drizzle-orm';
import {
  boolean,
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
import { areas } from './areas.ts';
import { tenants } from './platform.ts';

/** 集中器: a Q/GDW 1376.1 terminal, addressed by region code A1 and terminal address A2. */
export const concentrators = pgTable(
  'concentrators',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    number: text('number').notNull(),
    name: text('name').notNull().default(''),
    /** region code, 4 hex digits (e.g. '3501') */
    a1: text('a1').notNull(),
    /** terminal address 1–65535 */
    a2: integer('a2').notNull(),
    protocol: text('protocol', { enum: ['gdw1376'] })
      .notNull()
      .default('gdw1376'),
    sim: text('sim'),
    iccid: text('iccid'),
    areaId: uuid('area_id').notNull(),
    status: text('status', { enum: ['active', 'removed'] })
      .notNull()
      .default('active'),
    /** written by the reading engine */
    online: boolean('online').notNull().default(false),
    lastHeartbeatAt: timestamp('last_heartbeat_at', { withTimezone: true }),
    custom: jsonb('custom').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('concentrators_number_uq').on(t.tenantId, t.number),
    unique('concentrators_address_uq').on(t.tenantId, t.a1, t.a2),
    foreignKey({ columns: [t.tenantId, t.areaId], foreignColumns: [areas.tenantId, areas.id] }),
  ],
);

export const collectorInterfaces = ['rs485', 'mbus', 'wireless'] as const;

/** 采集器: bridges meters to a concentrator or a serial line. */
export const collectors = pgTable(
  'collectors',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    number: text('number').notNull(),
    interface: text('interface', { enum: collectorInterfaces }).notNull(),
    address: text('address').notNull(),
    concentratorId: uuid('concentrator_id'),
    areaId: uuid('area_id').notNull(),
    status: text('status', { enum: ['active', 'removed'] })
      .notNull()
      .default('active'),
    custom: jsonb('custom').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('collectors_number_uq').on(t.tenantId, t.number),
    foreignKey({ columns: [t.tenantId, t.areaId], foreignColumns: [areas.tenantId, areas.id] }),
    foreignKey({
      columns: [t.tenantId, t.concentratorId],
      foreignColumns: [concentrators.tenantId, concentrators.id],
    }),
  ],
);
