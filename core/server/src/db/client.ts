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
  /** the HTTP pool (same as `http`); use only through withTenant / withSystem */
  db: Db;
  /** requests: small, short transactions that must never wait behind bulk work */
  http: Db;
  /** job workers and reading ingest */
  jobs: Db;
  /** plugins' long work (polling lines, downloads, reconciliation) */
  plugins: Db;
  /** the raw postgres.js client (own instance: drizzle rewrites its client's type parsers) */
  sql: postgres.Sql;
  url: string;
  close(): Promise<void>;
}

/** Connections per pool; each pool is its own postgres.js client, so one cannot starve another. */
export interface PoolSizes {
  http: number;
  jobs: number;
  plugins: number;
}

export const defaultPoolSizes: PoolSizes = { http: 10, jobs: 5, plugins: 5 };

/** application_name per pool, so pg_stat_activity shows who holds which connection. */
export const poolNames = {
  http: 'quadmeter-http',
  jobs: 'quadmeter-worker',
  plugins: 'quadmeter-plugins',
  raw: 'quadmeter-raw',
} as const;

export const migrationsFolder = fileURLToPath(new URL('../../../../migrations', import.meta.url));

export function openDatabase(url: string, sizes: Partial<PoolSizes> = {}): Database {
  const max = { ...defaultPoolSizes, ...sizes };
  const client = (size: number, name: string) =>
    postgres(url, { max: size, onnotice: () => {}, connection: { application_name: name } });
  const clients = {
    http: client(max.http, poolNames.http),
    jobs: client(max.jobs, poolNames.jobs),
    plugins: client(max.plugins, poolNames.plugins),
  };
  const raw = client(2, poolNames.raw);
  const http = drizzle(clients.http, { schema });
  return {
    db: http,
    http,
    jobs: drizzle(clients.jobs, { schema }),
    plugins: drizzle(clients.plugins, { schema }),
    sql: raw,
    url,
    close: async () => {
      await Promise.all([...Object.values(clients), raw].map((c) => c.end({ timeout: 5 })));
    },
  };
}

/** Session advisory lock held while migrating, so processes started together migrate one by one. */
const MIGRATION_LOCK = 7_031_035;

/**
 * Applies the drizzle-kit migrations in /migrations (idempotent). Several processes starting at
 * once against one database (docs/scaling.md) take turns: the first migrates, the rest find
 * nothing left to do.
 */
export async function runMigrations(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle(client), { migrationsFolder: join(migrationsFolder) });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
