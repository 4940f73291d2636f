import { and, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { maskPii } from '../archives/masking.ts';
import type { Actor } from '../identity/actor.ts';
import { resolveTargetNames, type Titles } from './target-names.ts';

export interface RequestMeta {
  actor: Actor;
  ip: string;
  requestId: string;
}

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  /** the area path the target sits in, so area-scoped users see entries of their subtree */
  areaPath?: readonly string[] | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_KEYS = new Set(['password', 'passwordHash', 'tokenHash', 'token', 'secret']);

function scrub(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(scrub);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !SECRET_KEYS.has(k))
        .map(([k, v]) => [k, scrub(v)]),
    );
  }
  return value;
}

/** Appends one audit row in the caller's transaction, so the entry and the change commit together. */
export async function recordAudit(
  tx: Tx,
  tenantId: string,
  meta: RequestMeta,
  entry: AuditEntry,
): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId,
    actorType: meta.actor.kind,
    actorId: meta.actor.id,
    actorName: meta.actor.displayName || meta.actor.name,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    areaPath: entry.areaPath ? [...entry.areaPath] : null,
    before: scrub(entry.before),
    after: scrub(entry.after),
    ip: meta.ip,
    requestId: meta.requestId,
  });
}

export interface AuditQuery {
  page: number;
  pageSize: number;
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
}

/**
 * Lists audit entries; an area-scoped actor sees only entries inside their subtrees. Each entry names
 * its target (`targetName`, and `targetTitle` for plugins, resolved through `pluginTitle`).
 */
export async function listAudit(
  tx: Tx,
  actor: Actor,
  q: AuditQuery,
  pluginTitle: (id: string) => Titles | undefined = () => undefined,
) {
  const where: SQL[] = [];
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.actor) where.push(eq(auditLog.actorName, q.actor));
  if (q.from) where.push(gte(auditLog.at, new Date(q.from)));
  if (q.to) where.push(lte(auditLog.at, new Date(q.to)));
  if (actor.areaScope) {
    where.push(sql`${auditLog.areaPath} && ${uuidArray(actor.areaScope)}`);
  }
  const cond = where.length ? and(...where) : undefined;
  const [{ total }] = await tx.select({ total: sql<number>`count(*)::int` }).from(auditLog).where(cond);
  const rows = await tx
    .select()
    .from(auditLog)
    .where(cond)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const labels = await resolveTargetNames(tx, rows, pluginTitle);
  return {
    items: rows.map((r, i) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      actorType: r.actorType,
      actorId: r.actorId,
      actorName: r.actorName,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      targetName: labels[i].targetName,
      targetTitle: labels[i].targetTitle,
      // customer snapshots keep phone and ID numbers; only customers.pii holders see them whole
      summary: { before: maskPii(actor, r.before), after: maskPii(actor, r.after) },
      ip: r.ip,
      requestId: r.requestId,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}
