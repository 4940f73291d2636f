import type { Tx } from '../db/client.ts';
import type { Platform } from '../platform.ts';
import { type AuditEntry, recordAudit } from '../services/audit/record.ts';
import type { Actor } from '../services/identity/actor.ts';
import { IdParam, inTenant, jsonRoute, type router } from './route-kit.ts';

export interface AuditedDelete<R> {
  tag: string;
  summary: string;
  permission: string;
  /** deletes the row the actor may see, answering it as it was (or throws its not-found or conflict error) */
  remove: (tx: Tx, actor: Actor, id: string) => Promise<R>;
  /** the audit entry of the deleted row */
  audit: (before: R) => AuditEntry;
}

/**
 * `DELETE /{id}` on `r`: checks the permission, deletes through `remove` and audits what it
 * removed in the same tenant transaction, answers 204. The delete route of archives and settings
 * entities whose delete needs nothing more.
 */
export function auditedDelete<R>(r: ReturnType<typeof router>, p: Platform, o: AuditedDelete<R>): void {
  r.openapi(
    jsonRoute({
      method: 'delete',
      path: '/{id}',
      tag: o.tag,
      summary: o.summary,
      params: IdParam,
      status: 204,
    }),
    async (c) => {
      await inTenant(p, c, o.permission, async (tx, { actor, tenantId, meta }) => {
        const before = await o.remove(tx, actor, c.req.valid('param').id);
        await recordAudit(tx, tenantId, meta, o.audit(before));
      });
      return c.body(null, 204);
    },
  );
}
