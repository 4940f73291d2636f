import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../src/db/client.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { createLogger } from '../src/logger.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    /** a database migrated once for the run; each test file's database is a copy of it */
    templateDatabase: string;
  }
}

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Migrates a template database once for the run (named per run: helpers and CI may share the
 * machine's PostgreSQL). Copying it costs a fraction of replaying the migrations in every file.
 */
async function migratedTemplate(adminUrl: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `qm_tpl_${randomBytes(6).toString('hex')}`;
  const admin = () => postgres(adminUrl, { max: 1, onnotice: () => {} });
  const sql = admin();
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  await runMigrations(withDatabaseName(adminUrl, name));
  return {
    name,
    async drop() {
      const s = admin();
      await s.unsafe(`drop database if exists ${name} with (force)`);
      await s.end();
    },
  };
}

/**
 * One PostgreSQL for the whole run: the machine's when DATABASE_URL is set, otherwise a real
 * embedded one in a temporary folder. Each test file makes its own database inside it, a copy of
 * the template migrated here.
 */
export default async function setup(project: TestProject) {
  const given = process.env.DATABASE_URL;
  if (given) {
    const template = await migratedTemplate(given);
    project.provide('adminDatabaseUrl', given);
    project.provide('templateDatabase', template.name);
    return () => template.drop();
  }
  const dir = await mkdtemp(join(tmpdir(), 'qm-pg-'));
  await chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres(dir, createLogger('silent'));
  const template = await migratedTemplate(pg.adminUrl);
  // tests create a database per file, so they connect as the cluster's superuser
  project.provide('adminDatabaseUrl', pg.adminUrl);
  project.provide('templateDatabase', template.name);
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
