// bench/control.ts, mode 2: the same valve closes end to end through the core's command outbox —
// the concentrators and water meters in the archive (tenant, concentrators, meters with
// concentrator routes on port 3), the commands created either as one batch over the tenant's area
// (createBatch by one person, approved by a second: one INSERT … SELECT on release) or one by one
// (createCommand × N in one transaction), the outbox's pg-boss pump claiming and delivering them
// through the installed transport-gdw1376 (its master station, started by the plugin host), each
// outcome written back; done when every command has ended.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../core/server/src/db/client.ts';
import { withTenant } from '../core/server/src/db/tenant.ts';
import { createBatch, decideBatch } from '../core/server/src/services/commands/batches.ts';
import { createCommand } from '../core/server/src/services/commands/create.ts';
import {
  startTestDispatcher,
  type TestDispatcher,
} from '../core/server/src/services/commands/dispatcher-fixtures.ts';
import type { Actor } from '../core/server/src/services/identity/actor.ts';
import {
  addConcentrator,
  addMeters,
  ingestTenant,
} from '../core/server/src/services/readings/ingest-fixtures.ts';
import { openBenchDatabase } from './archives-build.ts';
import type { ModeResult } from './control-direct.ts';
import { PORT, startField } from './control-field.ts';

const PLUGIN = 'transport-gdw1376';

export type Creation = 'batch' | 'single';

export interface OutboxResult extends ModeResult {
  how: Creation;
  createMs: number;
  deliverMs: number;
  /** Σ per-concentrator port time ÷ delivery wall: concentrators busy at once on average */
  busy: number;
  /** claims of the pump (commands sent in one claim share its `sent_at`): count, concentrators per claim */
  claims: { count: number; minConc: number; meanConc: number; mostSum: number };
  label: string;
}

const person = (tenantId: string, id: string, name: string, permissions: string[]): Actor => ({
  kind: 'user',
  id,
  name,
  displayName: name,
  locale: 'en',
  tenantId,
  permissions: new Set(permissions),
  areaScope: null,
});

/** A tenant with N concentrators (region `a1`) and their water meters on port 3, valve control. */
async function archive(
  db: Db,
  a1: string,
  nConc: number,
  perConc: number,
  address: (a2: number, i: number) => string,
) {
  const tenant = await ingestTenant(db, `ctl${a1}${Date.now().toString(36)}`);
  await withTenant(db, tenant.tenantId, (tx) =>
    tx.execute(sql`insert into plugin_settings (tenant_id, plugin_id, enabled)
      values (${tenant.tenantId}, ${PLUGIN}, true) on conflict do nothing`),
  );
  const specs = [];
  for (let a2 = 1; a2 <= nConc; a2++) {
    const gw = await addConcentrator(db, tenant, a1, a2);
    for (let i = 1; i <= perConc; i++)
      specs.push({ comm: address(a2, i), via: 'concentrator' as const, line: gw, address: String(i) });
  }
  const meterIds = await addMeters(db, tenant, specs);
  await withTenant(db, tenant.tenantId, async (tx) => {
    await tx.execute(sql`update meter_routes set concentrator_id = line::uuid, point_no = address::int,
      port = ${PORT}::smallint where via = 'concentrator'`);
    await tx.execute(sql`update meters set control = 'valve'`);
  });
  return { ...tenant, meterIds };
}

/** Creates the valve closes: one approved batch, or one command per meter. */
async function create(db: Db, d: TestDispatcher, how: Creation, t: Awaited<ReturnType<typeof archive>>) {
  if (how === 'single') {
    await withTenant(db, t.tenantId, async (tx) => {
      for (const id of t.meterIds)
        await createCommand(
          tx,
          { system: 'bench' },
          t.tenantId,
          id,
          { action: 'valve-close', reason: 'bench', expiresInMinutes: 60 },
          d.jobs,
        );
    });
    return;
  }
  const [admin] = (await withTenant(db, t.tenantId, (tx) =>
    tx.execute(sql`select id::text as id from users limit 1`),
  )) as unknown as { id: string }[];
  const requester = person(t.tenantId, admin.id, 'admin', ['meters.control']);
  const approver = person(t.tenantId, randomUUID(), 'approver', ['meters.control', 'meters.control.approve']);
  const batch = await withTenant(db, t.tenantId, (tx) =>
    createBatch(
      tx,
      requester,
      t.tenantId,
      { target: 'area', areaId: t.areaId, action: 'valve-close', reason: 'bench', expiresInMinutes: 60 },
      d.jobs,
    ),
  );
  // a cut over more meters than the tenant's threshold (50) waits for the second person
  await withTenant(db, t.tenantId, async (tx) => {
    const [b] = (await tx.execute(
      sql`select status from command_batches where id = ${batch}`,
    )) as unknown as { status: string }[];
    if (b.status === 'pending_approval')
      await decideBatch(tx, approver, t.tenantId, batch, 'approve', 'bench', d.jobs);
  });
}

async function measure(
  db: Db,
  d: TestDispatcher,
  how: Creation,
  a1: string,
  port: number,
  nConc: number,
  perConc: number,
) {
  const field = startField(port, nConc, perConc, a1);
  try {
    const t = await archive(db, a1, nConc, perConc, field.address);
    const onlineCount = async () => {
      const [r] = (await withTenant(db, t.tenantId, (tx) =>
        tx.execute(sql`select count(*) filter (where online)::int as n from concentrators`),
      )) as unknown as { n: number }[];
      return r.n;
    };
    for (let k = 0; (await onlineCount()) < nConc; k++) {
      if (k > 600) throw new Error('the concentrators did not come online');
      await new Promise((r) => setTimeout(r, 50));
    }
    field.mark();
    const t0 = performance.now();
    await create(db, d, how, t);
    const createMs = performance.now() - t0;
    const n = t.meterIds.length;
    type Row = { status: string; verified: boolean | null; n: number };
    let rows: Row[] = [];
    for (;;) {
      rows = (await withTenant(db, t.tenantId, (tx) =>
        tx.execute(sql`select status, verified, count(*)::int as n from meter_commands group by 1, 2`),
      )) as unknown as Row[];
      const ended = rows
        .filter((r) => r.status !== 'queued' && r.status !== 'sent')
        .reduce((a, r) => a + r.n, 0);
      if (ended >= n) break;
      if (performance.now() - t0 > 1_800_000) throw new Error(`commands still open: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const wallMs = performance.now() - t0;
    // one claim of the pump stamps its commands with the same sent_at
    const claims = (await withTenant(db, t.tenantId, (tx) =>
      tx.execute(sql`select count(*)::int as conc, max(k)::int as most from (
          select c.sent_at, r.concentrator_id, count(*) as k from meter_commands c
          join meter_routes r on r.meter_id = c.meter_id group by 1, 2) x group by sent_at`),
    )) as unknown as { conc: number; most: number }[];
    const bound = field.bound(n);
    return {
      how,
      wallMs,
      createMs,
      deliverMs: wallMs - createMs,
      busy: bound.totalMs / (wallMs - createMs),
      claims: {
        count: claims.length,
        minConc: Math.min(...claims.map((c) => c.conc)),
        meanConc: claims.reduce((a, c) => a + c.conc, 0) / claims.length,
        mostSum: claims.reduce((a, c) => a + c.most, 0),
      },
      bound,
      confirmed: rows.find((r) => r.status === 'confirmed' && r.verified)?.n ?? 0,
      closed: field.valvesClosed(),
      sample: rows,
    };
  } finally {
    await field.stop();
  }
}

/** Both ways of creating the commands, each with its own tenant, region code and simulated field. */
export async function runOutbox(nConc: number, perConc: number): Promise<OutboxResult[]> {
  const bench = await openBenchDatabase();
  const d = await startTestDispatcher(bench.db.url, {
    configFor: (id) =>
      id === PLUGIN
        ? { host: '127.0.0.1', port: 0, sweepIntervalSec: 1, requestTimeoutMs: 600_000 }
        : undefined,
    options: { leaseMs: 60_000, backoffMs: 5_000 },
  });
  try {
    const health = await d.host.registry.health(PLUGIN);
    const port = Number(/^port (\d+):/.exec(health.detail ?? '')?.[1]);
    const out: OutboxResult[] = [];
    // region codes of this run only, so concentrators of earlier runs in the same database never match
    const base = 1000 + Math.floor(Math.random() * 8000);
    for (const [k, how] of (['batch', 'single'] as const).entries())
      out.push({
        ...(await measure(bench.db.db, d, how, String(base + k), port, nConc, perConc)),
        label: bench.label,
      });
    return out;
  } finally {
    await d.stop();
    await bench.stop();
  }
}
