import type { LocalizedText } from '@quadmeter/sdk';
import { inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { apiTokens, areas, collectors, concentrators, meters, roles, users } from '../../db/schema/index.ts';
import { uuidArray } from '../../db/sql-helpers.ts';

/** A title in each language, as plugins declare theirs. */
export type Titles = LocalizedText;

/** The fields of an audit row that name its target. */
export interface AuditTarget {
  targetType: string;
  targetId: string | null;
  actorId: string | null;
  actorName: string;
  before: unknown;
  after: unknown;
}

export interface TargetLabel {
  /** what a person calls the target (user name, role name, area name …); null when unknown */
  targetName: string | null;
  /** the target's title in each language, for targets that have one (plugins) */
  targetTitle: Titles | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Looks up the current names of the targets of one type; RLS keeps the lookup inside the tenant. */
const lookups: Record<string, (tx: Tx, ids: string[]) => Promise<{ id: string; name: string }[]>> = {
  user: (tx, ids) =>
    tx.select({ id: users.id, name: users.username }).from(users).where(inArray(users.id, ids)),
  role: (tx, ids) => tx.select({ id: roles.id, name: roles.name }).from(roles).where(inArray(roles.id, ids)),
  area: (tx, ids) => tx.select({ id: areas.id, name: areas.name }).from(areas).where(inArray(areas.id, ids)),
  'api-token': (tx, ids) =>
    tx.select({ id: apiTokens.id, name: apiTokens.name }).from(apiTokens).where(inArray(apiTokens.id, ids)),
  meter: (tx, ids) =>
    tx.select({ id: meters.id, name: meters.assetNo }).from(meters).where(inArray(meters.id, ids)),
  concentrator: (tx, ids) =>
    tx
      .select({ id: concentrators.id, name: concentrators.number })
      .from(concentrators)
      .where(inArray(concentrators.id, ids)),
  collector: (tx, ids) =>
    tx
      .select({ id: collectors.id, name: collectors.number })
      .from(collectors)
      .where(inArray(collectors.id, ids)),
  // a bill by its customer number and period month (bills have no drizzle schema)
  bill: async (tx, ids) =>
    (await tx.execute(sql`select b.id::text as id, c.number || ' ' || to_char(b.period_from, 'YYYY-MM') as name
      from bills b join accounts a on a.id = b.account_id join customers c on c.id = a.customer_id
      where b.id = any(${uuidArray(ids)})`)) as unknown as { id: string; name: string }[],
};

/** The name a deleted (or platform-level) target had, from the change the entry recorded. */
function nameInSummary(before: unknown, after: unknown): string | null {
  for (const side of [after, before]) {
    if (typeof side !== 'object' || side === null) continue;
    const s = side as Record<string, unknown>;
    for (const key of ['username', 'name', 'code']) if (typeof s[key] === 'string' && s[key]) return s[key];
  }
  return null;
}

/**
 * Names the targets of a page of audit rows: the current name where the target still exists, else
 * the name the entry recorded, else (for sign-ins) the actor's own name. One query per target type.
 */
export async function resolveTargetNames(
  tx: Tx,
  rows: readonly AuditTarget[],
  pluginTitle: (id: string) => Titles | undefined,
): Promise<TargetLabel[]> {
  const current = new Map<string, string>();
  for (const [type, lookup] of Object.entries(lookups)) {
    const ids = [
      ...new Set(
        rows
          .filter((r) => r.targetType === type && r.targetId && UUID.test(r.targetId))
          .map((r) => r.targetId!),
      ),
    ];
    if (!ids.length) continue;
    for (const found of await lookup(tx, ids)) current.set(`${type}:${found.id}`, found.name);
  }
  return rows.map((r) => {
    if (r.targetType === 'plugin' && r.targetId) {
      return { targetName: r.targetId, targetTitle: pluginTitle(r.targetId) ?? null };
    }
    const name =
      (r.targetId && current.get(`${r.targetType}:${r.targetId}`)) ||
      nameInSummary(r.before, r.after) ||
      (r.targetId && r.targetId === r.actorId ? r.actorName : null);
    return { targetName: name || null, targetTitle: null };
  });
}
