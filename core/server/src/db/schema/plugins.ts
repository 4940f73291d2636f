import { boolean, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './platform.ts';

/** Per-tenant enablement and settings of an installed plugin. */
export const pluginSettings = pgTable(
  'plugin_settings',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    pluginId: text('plugin_id').notNull(),
    enabled: boolean('enabled').notNull().default(false),
    settings: jsonb('settings').notNull().default({}),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.pluginId] })],
);
