import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { withSystem } from '../../db/tenant.ts';

/** A lease held by this node: the fencing token names its tenure. */
export interface Lease {
  resource: string;
  owner: string;
  token: number;
}

/** A node id: host, pid and a random suffix, so a restarted process is a new owner. */
export function nodeId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

const ttl = (ms: number) => sql`make_interval(secs => ${ms / 1000})`;

/**
 * Takes `resource` for `owner` when it is free, lapsed or already ours (one statement, so two
 * nodes racing for it cannot both win). The token grows by one on every new tenure (another
 * owner, or our own lease after it lapsed); renewing a live lease keeps it. Null: another node
 * holds a live lease.
 */
export async function acquireLease(db: Db, resource: string, owner: string, ttlMs: number) {
  const rows = (await withSystem(db, (tx) =>
    tx.execute(sql`
      insert into gateway_leases (resource, owner, token, expires_at)
      values (${resource}, ${owner}, 1, now() + ${ttl(ttlMs)})
      on conflict (resource) do update set
        owner = excluded.owner,
        token = case when gateway_leases.owner = excluded.owner and gateway_leases.expires_at >= now()
          then gateway_leases.token else gateway_leases.token + 1 end,
        acquired_at = case when gateway_leases.owner = excluded.owner and gateway_leases.expires_at >= now()
          then gateway_leases.acquired_at else now() end,
        expires_at = excluded.expires_at
      where gateway_leases.owner = excluded.owner or gateway_leases.expires_at < now()
      returning resource, owner, token::float8 as token`),
  )) as unknown as Lease[];
  return rows[0] ?? null;
}

/** Extends every live lease of `owner`; returns those still held (a lapsed one must be re-taken). */
export async function renewLeases(db: Db, owner: string, ttlMs: number): Promise<Lease[]> {
  return (await withSystem(db, (tx) =>
    tx.execute(sql`
      update gateway_leases set expires_at = now() + ${ttl(ttlMs)}
      where owner = ${owner} and expires_at >= now()
      returning resource, owner, token::float8 as token`),
  )) as unknown as Lease[];
}

/**
 * Gives a lease up at once (expired, row kept): the next owner takes it with token + 1 without
 * waiting for the TTL. The row stays so the token never goes back.
 */
export async function releaseLease(db: Db, lease: Lease): Promise<void> {
  await withSystem(db, (tx) =>
    tx.execute(sql`
      update gateway_leases set expires_at = now() - interval '1 millisecond'
      where resource = ${lease.resource} and owner = ${lease.owner} and token = ${lease.token}`),
  );
}

/**
 * The fence, inside the transaction of a write made for a leased resource (a tenant transaction
 * is fine: gateway_fence is SECURITY DEFINER). Throws (SQLSTATE QM409, message starting
 * GATEWAY_LEASE_FENCED) when the token is stale, the owner changed or the lease lapsed, so the
 * write rolls back; holds the row FOR SHARE, so a take-over waits for this commit.
 */
export async function fence(tx: Tx, lease: Lease): Promise<void> {
  await tx.execute(sql`select gateway_fence(${lease.resource}, ${lease.owner}, ${lease.token})`);
}

/** True for the error `fence` throws on a stale token. */
export function isFenced(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    if ((e as { code?: unknown }).code === 'QM409') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
