import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createZstdCompress } from 'node:zlib';
import { AppError } from '@quadmeter/sdk';
import type { Database } from '../../db/client.ts';
import { rawClient } from '../../db/raw-tx.ts';
import { bindTenant } from '../../db/tenant.ts';
import { findTenantByCode } from '../tenants/tenants.ts';
import { canonicalCopy, canonicalSettings, streamCopy } from './canonical.ts';
import { tenantTables } from './catalogue.ts';
import {
  type BackupHeader,
  encodeRecord,
  FORMAT_VERSION,
  filePrefix,
  json,
  type Manifest,
  type RecordType,
  type TableSummary,
} from './format.ts';
import { currentSchema } from './schema-version.ts';

export interface BackupResult {
  file: string;
  tenantId: string;
  bytes: number;
  manifest: Manifest;
}

/** Writes records into the compressor, hashing them for the trailer, waiting when it is full. */
class RecordSink {
  private hash = createHash('sha256');
  private out: Writable;
  constructor(out: Writable) {
    this.out = out;
  }
  async write(type: RecordType, payload: Buffer) {
    const record = encodeRecord(type, payload);
    if (type !== 'Z') this.hash.update(record);
    if (!this.out.write(record)) await once(this.out, 'drain');
  }
  digest() {
    return this.hash.digest();
  }
}

/**
 * Backs up one tenant into `file` (written beside it, renamed into place when complete): every
 * tenant table's rows from ONE repeatable-read, read-only transaction bound to the tenant by
 * row-level security, streamed from COPY through zstd to disk, so memory stays flat at any size.
 */
export async function backupTenant(
  database: Database,
  tenantCode: string,
  file: string,
): Promise<BackupResult> {
  const tenant = await findTenantByCode(database.jobs, tenantCode);
  if (!tenant) throw new AppError('TENANT_NOT_FOUND', `no tenant "${tenantCode}"`);
  const partial = `${file}.partial`;
  const disk = createWriteStream(partial, { mode: 0o600 });
  disk.write(filePrefix());
  const zstd = createZstdCompress();
  zstd.pipe(disk);
  const sink = new RecordSink(zstd);
  try {
    const manifest = await database.jobs.transaction(
      async (dtx) => {
        const tx = rawClient(dtx);
        await bindTenant(dtx, tenant.id);
        await canonicalSettings(tx);
        const tables = await tenantTables(tx);
        const header: BackupHeader = {
          format: FORMAT_VERSION,
          schema: currentSchema(),
          tenant: {
            id: tenant.id,
            code: tenant.code,
            name: tenant.name,
            status: tenant.status,
            createdAt: new Date(tenant.createdAt).toISOString(),
          },
          createdAt: new Date().toISOString(),
          tables: tables.map(({ table, columns, key }) => ({ table, columns, key })),
        };
        await sink.write('H', json(header));
        const summaries: TableSummary[] = [];
        for (const t of tables) {
          await sink.write('B', json({ table: t.table }));
          const s = await streamCopy(tx, canonicalCopy(t, tenant.id), (chunk) => sink.write('D', chunk));
          const summary = { table: t.table, ...s };
          await sink.write('E', json(summary));
          summaries.push(summary);
        }
        return { tables: summaries };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    await sink.write('M', json(manifest));
    await sink.write('Z', sink.digest());
    zstd.end();
    await finished(disk);
    await rename(partial, file);
    return { file, tenantId: tenant.id, bytes: disk.bytesWritten, manifest };
  } catch (e) {
    zstd.destroy();
    disk.destroy();
    await rm(partial, { force: true });
    throw e;
  }
}
