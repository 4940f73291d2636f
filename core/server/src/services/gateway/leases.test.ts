import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import { createLogger } from '../../logger.ts';
import { ingestTenant } from '../readings/ingest-fixtures.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import { acquireLease, fence, isFenced, releaseLease, renewLeases } from './leases.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** The error a fenced write fails with (or 'ok'). */
async function fencedWrite(tenantId: string, lease: { resource: string; owner: string; token: number }) {
  try {
    await withTenant(t.database.db, tenantId, (tx) => fence(tx, lease));
    return 'ok';
  } catch (err) {
    return isFenced(err) ? 'GATEWAY_LEASE_FENCED' : String(err);
  }
}

describe('gateway leases', () => {
  it('one owner at a time; a lapsed lease is taken with token + 1 and the old token is fenced', async () => {
    const db = t.database.db;
    const tenant = await ingestTenant(db, 'leases');
    const a = await acquireLease(db, 'transport-rs485:bus-1', 'node-a', 400);
    expect(a).toEqual({ resource: 'transport-rs485:bus-1', owner: 'node-a', token: 1 });
    // a live lease: the other node is refused, the owner renews keeping its token
    expect(await acquireLease(db, 'transport-rs485:bus-1', 'node-b', 400)).toBeNull();
    expect(await acquireLease(db, 'transport-rs485:bus-1', 'node-a', 400)).toEqual(a);
    expect(await renewLeases(db, 'node-a', 400)).toEqual([a]);
    expect(await fencedWrite(tenant.tenantId, a!)).toBe('ok');
    await sleep(600);
    // lapsed: the owner can no longer renew nor write; another node takes it over with token 2
    expect(await renewLeases(db, 'node-a', 400)).toEqual([]);
    expect(await fencedWrite(tenant.tenantId, a!)).toBe('GATEWAY_LEASE_FENCED');
    const b = await acquireLease(db, 'transport-rs485:bus-1', 'node-b', 10_000);
    expect(b).toEqual({ resource: 'transport-rs485:bus-1', owner: 'node-b', token: 2 });
    expect(await fencedWrite(tenant.tenantId, b!)).toBe('ok');
    // the old owner, resumed after a pause, writes with its stale token: refused
    expect(await fencedWrite(tenant.tenantId, a!)).toBe('GATEWAY_LEASE_FENCED');
    expect(await fencedWrite(tenant.tenantId, { ...b!, token: 1 })).toBe('GATEWAY_LEASE_FENCED');
    // a release hands over at once, and the token never goes back
    await releaseLease(db, b!);
    expect(await acquireLease(db, 'transport-rs485:bus-1', 'node-a', 10_000)).toMatchObject({ token: 3 });
  });

  it('two nodes racing for one free resource: exactly one wins', async () => {
    const db = t.database.db;
    const won = await Promise.all(
      Array.from({ length: 8 }, (_, i) => acquireLease(db, 'transport-rs485:race', `node-${i}`, 10_000)),
    );
    expect(won.filter((l) => l !== null)).toHaveLength(1);
  });

  it('the keeper aborts a holder when its lease is taken over, and the table is closed to the app role', async () => {
    const db = t.database.db;
    const keeper = new LeaseKeeper(db, 'node-k', { ttlMs: 300 }, createLogger('silent'));
    const held = await keeper.hold('transport-rs485:bus-2', new AbortController().signal);
    expect(held.lease.token).toBe(1);
    // another node steals the row (as after a pause longer than the TTL)
    await t.database.sql`update gateway_leases set owner = 'node-x', token = token + 1
      where resource = 'transport-rs485:bus-2'`;
    await sleep(400);
    expect(held.signal.aborted).toBe(true);
    await keeper.stop();
    const tenant = await ingestTenant(db, 'leases-closed');
    const err = await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`select count(*) from gateway_leases`),
    ).catch((e: { cause?: { code?: string }; code?: string }) => e.cause?.code ?? e.code);
    expect(err).toBe('42501');
  });
});
