import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  foreignKey,
  index,
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
import { tenants } from './platform.ts';

export const customerTypes = ['resident', 'commercial', 'industrial', 'institution'] as const;
/** Facts that change over time and are read "as of a date" by billing. */
export const customerFactKinds = ['household_size', 'heated_area_m2'] as const;
export const billingModes = ['prepaid', 'postpaid'] as const;

/** 用户档案: the people and organisations a utility serves. */
export const customers = pgTable(
  'customers',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    number: text('number').notNull(),
    name: text('name').notNull(),
    type: text('type', { enum: customerTypes }).notNull().default('resident'),
    phone: text('phone'),
    email: text('email'),
    wechatOpenid: text('wechat_openid'),
    /** the channels the customer agreed to be notified on (migration 0017) */
    notifyChannels: text('notify_channels').array().notNull().default(sql`'{sms,wechat,email}'::text[]`),
    idNumber: text('id_number'),
    address: text('address'),
    areaId: uuid('area_id').notNull(),
    lowIncome: boolean('low_income').notNull().default(false),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    notes: text('notes').notNull().default(''),
    status: text('status', { enum: ['active', 'closed'] })
      .notNull()
      .default('active'),
    custom: jsonb('custom').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('customers_number_uq').on(t.tenantId, t.number),
    foreignKey({ columns: [t.tenantId, t.areaId], foreignColumns: [areas.tenantId, areas.id] }),
    index('customers_area_idx').on(t.tenantId, t.areaId, t.number),
    index('customers_name_idx').on(t.tenantId, t.name, t.id),
    index('customers_created_idx').on(t.tenantId, t.createdAt, t.id),
    // search keys live in customer_search (migrations/0003): trigram indexes here are unusable under RLS
  ],
);

/** Effective-dated customer facts (household size, heated area): the value in force on a date. */
export const customerFacts = pgTable(
  'customer_facts',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    kind: text('kind', { enum: customerFactKinds }).notNull(),
    effectiveFrom: date('effective_from').notNull(),
    value: numeric('value', { precision: 12, scale: 2 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId, t.kind, t.effectiveFrom] }),
    foreignKey({
      columns: [t.tenantId, t.customerId],
      foreignColumns: [customers.tenantId, customers.id],
    }).onDelete('cascade'),
  ],
);

/** 账户: a customer holds one or more; one account may hold meters of any kind (一户多表). */
export const accounts = pgTable(
  'accounts',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    customerId: uuid('customer_id').notNull(),
    number: text('number').notNull(),
    /** day of the month meters are read for billing (1–28) */
    readingDay: smallint('reading_day').notNull().default(1),
    billingCycleMonths: smallint('billing_cycle_months').notNull().default(1),
    /** tariff plan id per meter kind (`meter-water` → plan); billing gives it meaning */
    tariffPlans: jsonb('tariff_plans').notNull().default({}),
    depositFen: bigint('deposit_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    status: text('status', { enum: ['active', 'closed'] })
      .notNull()
      .default('active'),
    custom: jsonb('custom').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('accounts_number_uq').on(t.tenantId, t.number),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    index('accounts_customer_idx').on(t.tenantId, t.customerId),
  ],
);

/** Effective-dated billing mode of an account (prepaid or postpaid from a date on). */
export const accountBillingModes = pgTable(
  'account_billing_modes',
  {
    tenantId: uuid('tenant_id').notNull(),
    accountId: uuid('account_id').notNull(),
    effectiveFrom: date('effective_from').notNull(),
    mode: text('mode', { enum: billingModes }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.accountId, t.effectiveFrom] }),
    foreignKey({
      columns: [t.tenantId, t.accountId],
      foreignColumns: [accounts.tenantId, accounts.id],
    }).onDelete('cascade'),
  ],
);
