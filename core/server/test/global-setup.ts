import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { createLogger } from '../src/logger.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

/**
 * One PostgreSQL for the whole run: the machine's when DATABASE_URL is set, otherwise a real
 * embedded one in a temporary folder. Each test file makes its own database inside it.
 */
export default async function setup(project: TestProject) {
  const given = process.env.DATABASE_URL;
  if (given) {
    project.provide('adminDatabaseUrl', given);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'qm-pg-'));
  await chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres(dir, createLogger('silent'));
  // tests create a database per file, so they connect as the cluster's superuser
  project.provide('adminDatabaseUrl', pg.adminUrl);
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
