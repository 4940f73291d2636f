// What the database server did during a measured run: WAL written (exact, from the WAL position),
// full-page images (pg_stat_wal, which backends flush about once a second, so a run of a second or
// two may show none) and checkpoints (pg_stat_checkpointer from PostgreSQL 17, pg_stat_bgwriter
// before), with the settings that decide them. Used by the bulk-write benches (billing, prepaid).
import type postgres from 'postgres';

export interface ServerStats {
  bytes: number;
  fpi: number;
  checkpoints: number;
  sharedBuffers: string;
  maxWal: string;
}

export async function serverStats(sql: postgres.Sql): Promise<ServerStats> {
  const [w] =
    (await sql.unsafe(`select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 as bytes, wal_fpi::float8 as fpi,
    current_setting('shared_buffers') as "sharedBuffers", current_setting('max_wal_size') as "maxWal",
    to_regclass('pg_catalog.pg_stat_checkpointer') is not null as v17
    from pg_stat_wal`)) as unknown as (Omit<ServerStats, 'checkpoints'> & { v17: boolean })[];
  const [c] = (await sql.unsafe(
    w.v17
      ? 'select (num_timed + num_requested)::int as n from pg_stat_checkpointer'
      : 'select (checkpoints_timed + checkpoints_req)::int as n from pg_stat_bgwriter',
  )) as unknown as { n: number }[];
  const { v17: _v, ...rest } = w;
  return { ...rest, checkpoints: c.n };
}

/** One line: what the server did between two samples. */
export function serverDuring(a: ServerStats, b: ServerStats): string {
  return `server during the run: ${((b.bytes - a.bytes) / 2 ** 20).toFixed(0)} MB of WAL, ${(b.fpi - a.fpi).toLocaleString('en-US')} full-page images, ${b.checkpoints - a.checkpoints} checkpoint(s); shared_buffers ${b.sharedBuffers}, max_wal_size ${b.maxWal}`;
}
