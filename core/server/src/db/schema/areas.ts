import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity.ts';
import { tenants } from './platform.ts';

export const areaKinds = ['company', 'branch', 'community', 'campus', 'building', 'unit', 'other'] as const;

/**
 * The area tree (company → branch → community/campus → building → unit, any depth). `path` holds
 * the ids from the root down to the area itself, so subtree and scope checks are one array test.
 */
export const areas = pgTable(
  'areas',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    parentId: uuid('parent_id'),
    name: text('name').notNull(),
    kind: text('kind', { enum: areaKinds }).notNull(),
    sort: integer('sort').notNull().default(0),
    path: uuid('path').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.parentId], foreignColumns: [t.tenantId, t.id] }),
    index('areas_path_gin').using('gin', t.path),
  ],
);

/** Subtrees granted to a user; none means the whole tenant. */
export const userAreas = pgTable(
  'user_areas',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    areaId: uuid('area_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.areaId] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.tenantId, t.areaId], foreignColumns: [areas.tenantId, areas.id] }),
  ],
);
