import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PostgresJsDatabase<Schema>;
/** A transaction handle; inside withTenant it is bound to one tenant by row-level security. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  /** drizzle over the pool; use only through withTenant / withSystem */
  db: Db;
  /** the raw postgres.js client (own instance: drizzle rewrites its client's type parsers) */
  sql: postgres.Sql;
  url: string;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('../../../../migrations', import.meta.url));

export function openDatabase(url: string, max = 10): Database {
  const client = postgres(url, { max, onnotice: () => {}, connection: { application_name: 'quadmeter' } });
  const raw = postgres(url, {
    max: 2,
    onnotice: () => {},
    connection: { application_name: 'quadmeter-raw' },
  });
  const db = drizzle(client, { schema });
  return {
    db,
    sql: raw,
    url,
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), raw.end({ timeout: 5 })]);
    },
  };
}

/** Applies the drizzle-kit migrations in /migrations (idempotent). */
export async function runMigrations(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(client), { migrationsFolder: join(migrationsFolder) });
  } finally {
    await client.end({ timeout: 5 });
  }
}
