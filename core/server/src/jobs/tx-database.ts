import { type SQL, sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Tx } from '../db/client.ts';

/** Rewrites pg-boss's positional `$n` statement into a drizzle statement with bound parameters. */
function bound(text: string, values: readonly unknown[]): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, m.index)));
    chunks.push(sql`${values[Number(m[1]) - 1]}`);
    last = m.index + m[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks);
}

/**
 * A pg-boss database adapter over the caller's drizzle transaction, so `send`/`insert` write the
 * job in that transaction: it commits with the domain write or vanishes with its rollback.
 */
export function txDatabase(tx: Tx) {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const rows = await tx.execute(bound(text, values));
      return { rows: [...rows] as Record<string, unknown>[] };
    },
  };
}

/**
 * Tenant transactions run as `quadmeter_app`; it may enqueue (insert into the job tables) but
 * owns nothing of the job schema. Skipped when the role does not exist (no migrations run).
 */
export async function grantEnqueue(boss: PgBoss, schema: string): Promise<void> {
  await boss.getDb().executeSql(`
    DO $grant$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quadmeter_app') THEN
        GRANT USAGE ON SCHEMA ${schema} TO quadmeter_app;
        GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA ${schema} TO quadmeter_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT ON TABLES TO quadmeter_app;
      END IF;
    END $grant$`);
}
