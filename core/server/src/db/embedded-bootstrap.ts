import postgres from 'postgres';
import { OWNER_ROLE } from './embedded-files.ts';

/**
 * Run as the superuser on every start of the embedded cluster (idempotent): the row-level-security
 * role `quadmeter_app`, the application's login role `quadmeter_owner` (no superuser, no
 * CREATEROLE, member of quadmeter_app so `SET ROLE quadmeter_app` works) and the database it owns.
 * Migrations then run as the owner; the `create role` in 0001 finds the role already there.
 */
export async function bootstrapCluster(adminUrl: string, database: string, ownerPassword: string) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quadmeter_app') THEN
        CREATE ROLE quadmeter_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
      END IF;
    END $$`);
    const [owner] = await sql`select 1 from pg_roles where rolname = ${OWNER_ROLE}`;
    if (!owner) {
      await sql.unsafe(
        `CREATE ROLE ${OWNER_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${literal(ownerPassword)}`,
      );
    }
    await sql.unsafe(`GRANT quadmeter_app TO ${OWNER_ROLE}`);
    const [db] = await sql<{ owner: string }[]>`
      select pg_get_userbyid(datdba) as owner from pg_database where datname = ${database}`;
    if (!db) {
      await sql.unsafe(`CREATE DATABASE ${ident(database)} OWNER ${OWNER_ROLE}`);
    } else if (db.owner !== OWNER_ROLE) {
      await sql.unsafe(`ALTER DATABASE ${ident(database)} OWNER TO ${OWNER_ROLE}`);
      await transferOwnership(adminUrl, database, db.owner);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Resets a role's password (used once for clusters made before the password file existed). */
export async function setPassword(adminUrl: string, role: string, password: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`ALTER ROLE ${ident(role)} PASSWORD ${literal(password)}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * A database made by an older start belongs to the superuser: hand its schemas, tables, views,
 * sequences and functions to the owner role so migrations can run as it. (REASSIGN OWNED cannot
 * move objects of the bootstrap superuser.)
 */
async function transferOwnership(adminUrl: string, database: string, from: string): Promise<void> {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  const sql = postgres(u.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(
      `DO $$
DECLARE r record; src oid := ${literal(from)}::regrole;
BEGIN
  FOR r IN SELECT n.nspname FROM pg_namespace n WHERE n.nspowner = src
      AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO ${OWNER_ROLE}', r.nspname);
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relowner = src AND c.relkind IN ('r','p','v','m','f')
      AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' LOOP
    EXECUTE format('ALTER %s %s OWNER TO ${OWNER_ROLE}',
      CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
      r.name);
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relowner = src AND c.relkind = 'S'
      AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' LOOP
    EXECUTE format('ALTER SEQUENCE %s OWNER TO ${OWNER_ROLE}', r.name);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE p.proowner = src AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO ${OWNER_ROLE}', r.name);
  END LOOP;
  FOR r IN SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typowner = src AND t.typtype IN ('e','d','r') AND n.nspname NOT LIKE 'pg\\_%'
      AND n.nspname <> 'information_schema' LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO ${OWNER_ROLE}', r.name);
  END LOOP;
END $$`,
    );
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
