import { bigint, date, integer, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';

/**
 * Statistics rollups (migration 0032, docs/decisions/0040): rebuilt for a window of days by the stats
 * refresh job from the per-meter rollups and the task / ledger tables; read by /api/v1/stats.
 */
export const statsConsumptionDaily = pgTable(
  'stats_consumption_daily',
  {
    tenantId: uuid('tenant_id').notNull(),
    day: date('day').notNull(),
    areaId: uuid('area_id').notNull(),
    meterKind: text('meter_kind').notNull(),
    customerType: text('customer_type').notNull(),
    usage: numeric('usage').notNull().default('0'),
    meters: integer('meters').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.areaId, t.meterKind, t.customerType] })],
);

export const statsReadingDaily = pgTable(
  'stats_reading_daily',
  {
    tenantId: uuid('tenant_id').notNull(),
    day: date('day').notNull(),
    areaId: uuid('area_id').notNull(),
    concentratorId: uuid('concentrator_id').notNull(),
    line: text('line').notNull(),
    attempted: integer('attempted').notNull().default(0),
    succeeded: integer('succeeded').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.areaId, t.concentratorId, t.line] })],
);

export const statsArrears = pgTable(
  'stats_arrears',
  {
    tenantId: uuid('tenant_id').notNull(),
    accountId: uuid('account_id').notNull(),
    areaId: uuid('area_id').notNull(),
    arrearsFen: bigint('arrears_fen', { mode: 'bigint' }).notNull(),
    d0To30Fen: bigint('d0_30_fen', { mode: 'bigint' }).notNull().default(0n),
    d31To90Fen: bigint('d31_90_fen', { mode: 'bigint' }).notNull().default(0n),
    d91To180Fen: bigint('d91_180_fen', { mode: 'bigint' }).notNull().default(0n),
    d181Fen: bigint('d181_fen', { mode: 'bigint' }).notNull().default(0n),
    asOf: date('as_of').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.accountId] })],
);
