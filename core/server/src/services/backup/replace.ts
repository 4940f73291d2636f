import { randomBytes } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { withSystem } from '../../db/tenant.ts';
import { findTenantByCode } from '../tenants/tenants.ts';
import { walkBackup } from './read.ts';
import { type RestoreResult, restoreAsNewTenant } from './restore.ts';

export interface ReplaceResult extends RestoreResult {
  /** the tenant that was replaced: kept, suspended, under this code */
  replacedId: string;
  replacedCode: string;
}

/**
 * Replaces a tenant of this deployment by a backup of it, after the operator typed its code again
 * (`confirm`). Nothing is deleted: the backup is restored as a new tenant (ids remapped, verified
 * first), then one transaction hands it the code and suspends the old tenant under
 * `<code>-replaced-<time>`, whose users can no longer sign in. The ledger stays append-only and a
 * wrong backup can be undone by swapping the codes back.
 */
export async function restoreReplacing(
  database: Database,
  file: string,
  o: { code: string; confirm: string | undefined },
): Promise<ReplaceResult> {
  if (o.confirm !== o.code)
    throw new AppError('BACKUP_CONFIRM_MISMATCH', `to replace tenant "${o.code}", pass --confirm ${o.code}`);
  const old = await findTenantByCode(database.jobs, o.code);
  if (!old) throw new AppError('TENANT_NOT_FOUND', `no tenant "${o.code}" to replace`);
  const { header } = await walkBackup(file);
  if (header.tenant.code !== o.code)
    throw new AppError(
      'BACKUP_CONFIRM_MISMATCH',
      `the backup is of tenant "${header.tenant.code}", not "${o.code}"; restore it with --as-new-tenant`,
    );
  const staging = `${o.code.slice(0, 20)}-restoring-${randomBytes(4).toString('hex')}`;
  const restored = await restoreAsNewTenant(database, file, { code: staging, name: header.tenant.name });
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const replacedCode = `${o.code}-replaced-${stamp}`;
  await withSystem(database.jobs, async (tx) => {
    await tx.execute(
      sql`update tenants set code = ${replacedCode}, status = 'suspended' where id = ${old.id}`,
    );
    await tx.execute(sql`update tenants set code = ${o.code} where id = ${restored.tenantId}`);
  });
  return { ...restored, code: o.code, replacedId: old.id, replacedCode };
}
