import { boolean, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './platform.ts';

/** A customer identity per tenant: the WeChat openid from the web authorisation flow (migration 0029). */
export const selfIdentities = pgTable(
  'self_identities',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().defaultRandom(),
    openid: text('openid').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** A customer's session: the cookie carries the tenant and a secret whose sha256 is stored. */
export const selfSessions = pgTable(
  'self_sessions',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().defaultRandom(),
    identityId: uuid('identity_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** An account a customer identity proved it holds. */
export const selfBindings = pgTable(
  'self_bindings',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    identityId: uuid('identity_id').notNull(),
    accountId: uuid('account_id').notNull(),
    method: text('method').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.identityId, t.accountId] })],
);

/** A one-time verification code sent by SMS for a binding: hashed, expiring, single-use, counted. */
export const selfCodes = pgTable(
  'self_codes',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().defaultRandom(),
    identityId: uuid('identity_id').notNull(),
    accountId: uuid('account_id').notNull(),
    codeHash: text('code_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    attempts: smallint('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** The tenant's self-service settings: which binding methods customers may use (migration 0037). */
export const selfSettings = pgTable(
  'self_settings',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    bindMethod: text('bind_method').notNull().default('sms'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);

/** One try at binding by the ID number's last digits, counted for the lockout (migration 0037). */
export const selfIdAttempts = pgTable(
  'self_id_attempts',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().defaultRandom(),
    identityId: uuid('identity_id').notNull(),
    accountId: uuid('account_id').notNull(),
    ok: boolean('ok').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
