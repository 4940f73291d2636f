import { AppError } from '@quadmeter/sdk';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { meterRelations } from '../../db/schema/index.ts';
import type { Actor } from '../identity/actor.ts';
import { findMeter } from './meters.ts';

/** One writer of the master/sub graph per tenant at a time, so two links cannot close a cycle. */
async function lockRelations(tx: Tx) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended('quadmeter.meter_relations:' || current_setting('app.tenant_id'), 0))`,
  );
}

/** 总分表: `childId` is fed through `parentId`. Refuses self-links and cycles. */
export async function linkChild(tx: Tx, actor: Actor, tenantId: string, parentId: string, childId: string) {
  await findMeter(tx, actor, parentId);
  await findMeter(tx, actor, childId);
  if (parentId === childId) throw new AppError('METER_RELATION_CYCLE');
  await lockRelations(tx);
  // the parent must not already lie below the child
  const [below] = (await tx.execute(sql`
    with recursive down(id) as (
      select child_id from ${meterRelations} where parent_id = ${childId}
      union select r.child_id from ${meterRelations} r join down d on r.parent_id = d.id
    ) select exists (select 1 from down where id = ${parentId}) as cyclic`)) as unknown as {
    cyclic: boolean;
  }[];
  if (below.cyclic) throw new AppError('METER_RELATION_CYCLE');
  const added = await tx
    .insert(meterRelations)
    .values({ tenantId, parentId, childId })
    .onConflictDoNothing()
    .returning();
  return added.length > 0;
}

export async function unlinkChild(tx: Tx, actor: Actor, parentId: string, childId: string) {
  await findMeter(tx, actor, parentId);
  await findMeter(tx, actor, childId);
  const gone = await tx
    .delete(meterRelations)
    .where(and(eq(meterRelations.parentId, parentId), eq(meterRelations.childId, childId)))
    .returning();
  if (gone.length === 0) throw new AppError('RESOURCE_NOT_FOUND', 'The meter is not a sub-meter of this one');
}

export async function childrenOf(tx: Tx, actor: Actor, parentId: string): Promise<string[]> {
  await findMeter(tx, actor, parentId);
  const rows = await tx
    .select({ id: meterRelations.childId })
    .from(meterRelations)
    .where(eq(meterRelations.parentId, parentId))
    .orderBy(meterRelations.childId);
  return rows.map((r) => r.id);
}
