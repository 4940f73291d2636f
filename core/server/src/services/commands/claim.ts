import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Claimed } from './deliver.ts';

const LOCK = sql`pg_advisory_xact_lock(hashtext('meter-commands:' || app_tenant_id()::text))`;

/**
 * Claims the next commands to deliver, under a per-tenant advisory lock so two processes never
 * claim two commands of one meter: first those in doubt (sent, not handed to a platform, their
 * sender's lease lapsed: it died mid-flight), then queued ones whose time has come, by priority,
 * at most one per meter and none for a meter with a command in flight. A queued command past its
 * expiry is claimed too, marked `expired`, so it is settled without being sent.
 */
export async function claimBatch(
  db: Db,
  tenantId: string,
  owner: string,
  o: { leaseMs: number; limit: number },
): Promise<Claimed[]> {
  return await withTenant(db, tenantId, async (tx) => {
    await tx.execute(sql`select ${LOCK}`);
    const lease = sql`now() + make_interval(secs => ${o.leaseMs / 1000})`;
    const doubt = (await tx.execute(sql`
      update meter_commands set lease_owner = ${owner}, lease_until = ${lease}, updated_at = now()
      where id in (select id from meter_commands where status = 'sent' and not awaiting and lease_until < now()
        order by priority desc, created_at limit ${o.limit})
      returning id::text as id, meter_id::text as "meterId", action, params,
        to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "expiresAt", attempts,
        true as "inDoubt", expires_at < now() as expired`)) as unknown as Claimed[];
    const room = o.limit - doubt.length;
    if (room <= 0) return doubt;
    // one per meter; then taken in turns across lines and concentrators (each serialises its own
    // meters, so a claim spread over them keeps them all busy), by priority within a turn
    const fresh = (await tx.execute(sql`
      with ready as (
        select distinct on (c.meter_id) c.id, c.priority, c.created_at,
          coalesce(r.concentrator_id::text, r.line, c.meter_id::text) as link
        from meter_commands c left join meter_routes r on r.meter_id = c.meter_id
        where c.status = 'queued' and (c.next_attempt_at <= now() or c.expires_at < now())
          and not exists (select 1 from meter_commands s where s.meter_id = c.meter_id and s.status = 'sent')
        order by c.meter_id, c.priority desc, c.created_at
      ), chosen as (
        select id from (
          select id, priority, created_at,
            row_number() over (partition by link order by priority desc, created_at) as turn
          from ready) t
        order by priority desc, turn, created_at limit ${room}
      )
      update meter_commands c set status = 'sent', lease_owner = ${owner}, lease_until = ${lease},
        attempts = case when c.expires_at < now() then c.attempts else c.attempts + 1 end,
        sent_at = coalesce(c.sent_at, now()), updated_at = now()
      from chosen where c.id = chosen.id
      returning c.id::text as id, c.meter_id::text as "meterId", c.action, c.params,
        to_char(c.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "expiresAt", c.attempts,
        false as "inDoubt", c.expires_at < now() as expired`)) as unknown as Claimed[];
    return [...doubt, ...fresh];
  });
}

/** Renews the leases this process holds on commands it is delivering. */
export async function renewLeases(db: Db, tenantId: string, owner: string, leaseMs: number): Promise<void> {
  await withTenant(db, tenantId, (tx) =>
    tx.execute(sql`update meter_commands set lease_until = now() + make_interval(secs => ${leaseMs / 1000})
      where status = 'sent' and not awaiting and lease_owner = ${owner}`),
  );
}

/**
 * Commands handed to a platform that never came back: past their expiry and the grace after it.
 * One the platform reported delivered ends acknowledged, unverified; one never delivered expired
 * (the platform's cache ended with it). Answers how many were settled.
 */
export async function settleOverdue(db: Db, tenantId: string, graceMs: number): Promise<number> {
  return await withTenant(db, tenantId, async (tx) => {
    const res = await tx.execute(sql`
      update meter_commands set
        status = case when delivered_at is not null then 'confirmed' else 'expired' end,
        verified = case when delivered_at is not null then false else null end,
        error_code = case when delivered_at is not null then null else 'COMMAND_EXPIRED' end,
        detail = case when delivered_at is not null then 'delivered; the meter never reported its state'
          else 'the platform never delivered it before it expired' end,
        awaiting = false, finished_at = now(), updated_at = now()
      where status = 'sent' and awaiting and expires_at + make_interval(secs => ${graceMs / 1000}) < now()`);
    return res.count;
  });
}
