/**
 * Runs one import apply in a process of its own, so a test can kill it with SIGKILL mid-way:
 * `node apply-import-child.ts <database url> <data dir> <tenant id> <import id>`.
 */
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import type { Platform } from '../src/platform.ts';
import { applyImport } from '../src/services/imports/worker.ts';

const [url, dataDir, tenantId, importId] = process.argv.slice(2);
const config = loadConfig({ DATABASE_URL: url, QUADMETER_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
const database = openDatabase(url);
const platform = { config, logger: createLogger('silent'), database, db: database.db } as unknown as Platform;
process.stdout.write('started\n');
await applyImport(platform, tenantId, importId);
await database.close();
