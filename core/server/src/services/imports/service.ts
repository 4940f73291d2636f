import { randomUUID } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { imports } from '../../db/schema/index.ts';
import type { Platform } from '../../platform.ts';
import { type RequestMeta, recordAudit } from '../audit/record.ts';
import { type Actor, requirePermission } from '../identity/actor.ts';
import { type ImportEntity, importEntities } from './entities.ts';
import { importFilePath, storeImportFile } from './file-store.ts';
import { type FileKind, sniff } from './read-file.ts';
import type { ImportReport } from './report.ts';
import { findImport, type Progress, statePatch } from './store.ts';

export const VALIDATE_QUEUE = 'imports-validate';
export const APPLY_QUEUE = 'imports-apply';

export interface ImportJob {
  importId: string;
}

export interface Upload {
  entity: ImportEntity;
  fileName: string;
  kind: FileKind;
  bytes: Buffer;
}

/** The entity's own write permission (e.g. `meters.write`), held besides `archives.import`. */
export function requireEntityPermission(actor: Actor, entity: string): void {
  const extra = importEntities[entity as ImportEntity]?.permission;
  if (extra) requirePermission(actor, extra);
}

/** Stores the file, records the import and enqueues its validation in the same transaction. */
export async function createImport(p: Platform, tx: Tx, tenantId: string, meta: RequestMeta, upload: Upload) {
  requireEntityPermission(meta.actor, upload.entity);
  sniff(upload.bytes, upload.kind);
  const id = randomUUID();
  await storeImportFile(importFilePath(p.config.QUADMETER_DATA_DIR, tenantId, id, upload.kind), upload.bytes);
  const { actor } = meta;
  const progress: Progress = {
    phase: 'queued',
    rows: 0,
    kind: upload.kind,
    by: { kind: actor.kind, id: actor.id, name: actor.displayName || actor.name },
    origin: { ip: meta.ip, requestId: meta.requestId },
  };
  const [row] = await tx
    .insert(imports)
    .values({ tenantId, id, entity: upload.entity, fileName: upload.fileName, progress, createdBy: actor.id })
    .returning();
  await p.jobs.send<ImportJob>(VALIDATE_QUEUE, tenantId, { importId: id }, { tx, singletonKey: id });
  await recordAudit(tx, tenantId, meta, {
    action: 'import.upload',
    targetType: 'import',
    targetId: id,
    after: { entity: upload.entity, fileName: upload.fileName, bytes: upload.bytes.length },
  });
  return row;
}

/** Claims a clean, validated import for applying and enqueues the apply job with the claim. */
export async function requestApply(p: Platform, tx: Tx, tenantId: string, meta: RequestMeta, id: string) {
  const row = await findImport(tx, meta.actor, id);
  requireEntityPermission(meta.actor, row.entity);
  const report = row.report as ImportReport | null;
  if (row.status !== 'validated' || !report)
    throw new AppError('IMPORT_NOT_READY', undefined, { status: row.status });
  if (report.errors > 0 || report.fatal)
    throw new AppError('IMPORT_HAS_ERRORS', undefined, { errors: report.errors });
  const [claimed] = await tx
    .update(imports)
    .set(
      statePatch(row, {
        status: 'applying',
        progress: { rows: 0, origin: { ip: meta.ip, requestId: meta.requestId } },
      }),
    )
    .where(and(eq(imports.id, id), eq(imports.status, 'validated')))
    .returning();
  if (!claimed) throw new AppError('IMPORT_NOT_READY', undefined, { status: row.status });
  await p.jobs.send<ImportJob>(APPLY_QUEUE, tenantId, { importId: id }, { tx, singletonKey: id });
  await recordAudit(tx, tenantId, meta, {
    action: 'import.apply-requested',
    targetType: 'import',
    targetId: id,
    after: { entity: row.entity, rows: report.total },
  });
  return claimed;
}
