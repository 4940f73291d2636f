import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { type Database, openDatabase, runMigrations } from '../src/db/client.ts';

export interface TestDatabase {
  url: string;
  database: Database;
  drop(): Promise<void>;
}

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A fresh, migrated database for one test file: a copy of the run's template, which
 * global-setup.ts migrated once. Without a template the migrations run here.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = inject('adminDatabaseUrl');
  const template = inject('templateDatabase');
  const name = `qm_t_${randomBytes(6).toString('hex')}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(template ? `create database ${name} template ${template}` : `create database ${name}`);
  await sql.end();
  const url = withDatabaseName(admin, name);
  if (!template) await runMigrations(url);
  const database = openDatabase(url);
  return {
    url,
    database,
    async drop() {
      await database.close();
      const s = postgres(admin, { max: 1, onnotice: () => {} });
      await s.unsafe(`drop database if exists ${name} with (force)`);
      await s.end();
    },
  };
}
