import type { ChildProcess } from 'node:child_process';
import type postgres from 'postgres';

const pause = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/**
 * kill -9 of `child` while one of its statements matching `like` sleeps in a test trigger
 * (pg_sleep), then waits until the orphaned backend has given up its transaction. Returns whether
 * the statement was seen stalled (the caller asserts it: a kill at another moment proves nothing).
 */
export async function killMidStatement(
  sql: postgres.Sql,
  child: ChildProcess,
  like: string,
): Promise<boolean> {
  const exited = new Promise((ok) => child.on('exit', ok));
  let stalled = false;
  for (let i = 0; i < 600 && !stalled; i++) {
    const [hit] = await sql`select count(*)::int as n from pg_stat_activity
      where wait_event = 'PgSleep' and query like ${like}`;
    stalled = hit.n > 0;
    if (!stalled) await pause(50);
  }
  child.kill('SIGKILL');
  await exited;
  // the orphaned backend finishes its statement, finds its client gone and rolls back
  for (let i = 0; i < 200; i++) {
    const [left] = await sql`select count(*)::int as n from pg_stat_activity
      where query like ${like} and state <> 'idle' and pid <> pg_backend_pid()`;
    if (left.n === 0) break;
    await pause(50);
  }
  return stalled;
}
