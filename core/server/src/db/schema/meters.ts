import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { areas } from './areas.ts';
import { accounts } from './customers.ts';
import { collectors, concentrators } from './gateways.ts';
import { tenants } from './platform.ts';

export const meterStatuses = ['in_stock', 'installed', 'suspended', 'removed'] as const;
export const meterProtocols = [
  'dlt645-2007',
  'dlt645-1997',
  'cjt188',
  'mbus',
  'gdw1376',
  'nbiot',
  'lora',
] as const;
export const meterControls = ['none', 'valve', 'relay'] as const;
/** How a meter is reached; with `line` and `address` it is the key incoming frames resolve by. */
export const routeVias = ['serial', 'concentrator', 'nbiot', 'lora'] as const;
export const meterEventKinds = ['install', 'replace', 'remove', 'suspend', 'resume', 'transfer'] as const;

/** Water, electricity, gas and heat meters (the kind is an installed meter-type plugin's id). */
export const meters = pgTable(
  'meters',
  {
    // no foreign key of its own: the (tenant_id, area_id) key to areas implies the tenant (migration 0023)
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    kind: text('kind').notNull(),
    assetNo: text('asset_no').notNull(),
    commAddress: text('comm_address').notNull(),
    protocol: text('protocol', { enum: meterProtocols }).notNull(),
    /** vendor quirks, e.g. the CJ/T 188 data-identifier byte order */
    vendorProfile: text('vendor_profile'),
    model: text('model'),
    vendor: text('vendor'),
    ctRatio: integer('ct_ratio').notNull().default(1),
    ptRatio: integer('pt_ratio').notNull().default(1),
    /** integer register digits: the counter rolls over at 10^digits */
    digits: smallint('digits').notNull().default(8),
    initialReading: numeric('initial_reading', { precision: 20, scale: 4 }).notNull().default('0'),
    installDate: date('install_date'),
    location: text('location'),
    /** WGS-84 position (migration 0030): the field app lists the nearest first */
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    areaId: uuid('area_id').notNull(),
    accountId: uuid('account_id'),
    control: text('control', { enum: meterControls }).notNull().default('none'),
    /** keep-power (保电): cut commands are refused unless overridden */
    keepPower: boolean('keep_power').notNull().default(false),
    status: text('status', { enum: meterStatuses }).notNull().default('in_stock'),
    custom: jsonb('custom').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('meters_asset_uq').on(t.tenantId, t.assetNo),
    foreignKey({ columns: [t.tenantId, t.areaId], foreignColumns: [areas.tenantId, areas.id] }),
    foreignKey({ columns: [t.tenantId, t.accountId], foreignColumns: [accounts.tenantId, accounts.id] }),
    index('meters_area_idx').on(t.tenantId, t.areaId, t.assetNo),
    index('meters_account_idx').on(t.tenantId, t.accountId).where(sql`account_id is not null`),
    index('meters_status_kind_idx').on(t.tenantId, t.status, t.kind, t.assetNo),
    // the meter list: an area's meters of one kind and status in asset-number order
    index('meters_area_kind_status_idx').on(t.tenantId, t.areaId, t.kind, t.status, t.assetNo),
    // search keys live in meter_search (migrations/0003): trigram indexes here are unusable under RLS
  ],
);

/**
 * Where a meter is reached. `(via, line, address)` is unique per tenant, so an incoming frame
 * resolves to one meter even where a factory-default address repeats across lines:
 * serial: line `tcp://host:port` or `tty:/dev/…`, address the meter's communication address;
 * concentrator: line the concentrator id, address the measuring point number (测量点号);
 * nbiot: line the platform (`ctwing`, `onenet`, `iotda`), address the device id or IMEI;
 * lora: line `lora`, address the DevEUI.
 */
export const meterRoutes = pgTable(
  'meter_routes',
  {
    tenantId: uuid('tenant_id').notNull(),
    meterId: uuid('meter_id').notNull(),
    via: text('via', { enum: routeVias }).notNull(),
    line: text('line').notNull(),
    address: text('address').notNull(),
    baud: integer('baud'),
    parity: text('parity', { enum: ['E', 'N', 'O'] }),
    collectorId: uuid('collector_id'),
    channel: smallint('channel'),
    concentratorId: uuid('concentrator_id'),
    pointNo: integer('point_no'),
    port: smallint('port'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.meterId] }),
    unique('meter_routes_key_uq').on(t.tenantId, t.via, t.line, t.address),
    unique('meter_routes_point_uq').on(t.tenantId, t.concentratorId, t.pointNo),
    foreignKey({ columns: [t.tenantId, t.meterId], foreignColumns: [meters.tenantId, meters.id] }).onDelete(
      'cascade',
    ),
    foreignKey({
      columns: [t.tenantId, t.collectorId],
      foreignColumns: [collectors.tenantId, collectors.id],
    }),
    foreignKey({
      columns: [t.tenantId, t.concentratorId],
      foreignColumns: [concentrators.tenantId, concentrators.id],
    }),
  ],
);

/** Lifecycle events (append-only): status and history follow from them. */
export const meterEvents = pgTable(
  'meter_events',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    meterId: uuid('meter_id').notNull(),
    kind: text('kind', { enum: meterEventKinds }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    reason: text('reason').notNull().default(''),
    /** register → value, e.g. `{ "final": { "total": "1234.5" }, "initial": { "total": "0" } }` */
    readings: jsonb('readings').notNull().default({}),
    relatedMeterId: uuid('related_meter_id'),
    fromAccountId: uuid('from_account_id'),
    toAccountId: uuid('to_account_id'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('meter_events_meter_idx').on(t.tenantId, t.meterId, t.at),
    foreignKey({ columns: [t.tenantId, t.meterId], foreignColumns: [meters.tenantId, meters.id] }),
  ],
);

/** 总分表: a master meter and the sub-meters it feeds (loss analysis). */
export const meterRelations = pgTable(
  'meter_relations',
  {
    tenantId: uuid('tenant_id').notNull(),
    parentId: uuid('parent_id').notNull(),
    childId: uuid('child_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.parentId, t.childId] }),
    foreignKey({ columns: [t.tenantId, t.parentId], foreignColumns: [meters.tenantId, meters.id] }),
    foreignKey({ columns: [t.tenantId, t.childId], foreignColumns: [meters.tenantId, meters.id] }),
  ],
);

/** Named static groups and saved filters, used by schedules and batch commands. */
export const meterGroups = pgTable(
  'meter_groups',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['static', 'filter'] }).notNull(),
    /** for `filter` groups: area, kind, protocol, status … */
    filter: jsonb('filter').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique('meter_groups_name_uq').on(t.tenantId, t.name)],
);

export const meterGroupMembers = pgTable(
  'meter_group_members',
  {
    tenantId: uuid('tenant_id').notNull(),
    groupId: uuid('group_id').notNull(),
    meterId: uuid('meter_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.groupId, t.meterId] }),
    foreignKey({
      columns: [t.tenantId, t.groupId],
      foreignColumns: [meterGroups.tenantId, meterGroups.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.meterId], foreignColumns: [meters.tenantId, meters.id] }).onDelete(
      'cascade',
    ),
  ],
);
