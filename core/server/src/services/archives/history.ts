import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';
import type { Actor } from '../identity/actor.ts';
import { maskPii } from './masking.ts';

/**
 * The change history of one archive object, newest first, from its audit rows. Snapshots are
 * stored whole; phone and ID numbers are masked here for actors without customers.pii.
 */
export async function targetHistory(tx: Tx, actor: Actor, targetType: string, targetId: string, limit = 200) {
  const rows = await tx
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, targetType), eq(auditLog.targetId, targetId)))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
  return rows.map((r) => ({
    id: String(r.id),
    at: r.at.toISOString(),
    actorType: r.actorType,
    actorName: r.actorName,
    action: r.action,
    before: maskPii(actor, r.before),
    after: maskPii(actor, r.after),
  }));
}
