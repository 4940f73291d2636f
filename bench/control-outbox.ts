// bench/control.ts, mode 2: the same valve closes end to end through the core's command outbox —
// the concentrators and water meters in the archive (tenant, concentrators, meters with
// concentrator routes on port 3), 1,000 commands created (createCommand, one transaction), the
// outbox's pg-boss pump claiming and delivering them through the installed transport-gdw1376
// (its master station, started by the plugin host), each outcome written back; done when every
// command has ended.
import { sql } from 'drizzle-orm';
import { withTenant } from '../core/server/src/db/tenant.ts';
import { createCommand } from '../core/server/src/services/commands/create.ts';
import { startTestDispatcher } from '../core/server/src/services/commands/dispatcher-fixtures.ts';
import {
  addConcentrator,
  addMeters,
  ingestTenant,
} from '../core/server/src/services/readings/ingest-fixtures.ts';
import { openBenchDatabase } from './archives-build.ts';
import type { ModeResult } from './control-direct.ts';
import { PORT, startField } from './control-field.ts';

const PLUGIN = 'transport-gdw1376';

export interface OutboxResult extends ModeResult {
  createMs: number;
  deliverMs: number;
  /** Σ per concentrator (last − first command finished) ÷ (last − first overall): concentrators busy at once */
  overlap: number;
  label: string;
}

export async function runOutbox(nConc: number, perConc: number): Promise<OutboxResult> {
  const bench = await openBenchDatabase();
  const db = bench.db.db;
  // a region code of this run only, so concentrators of earlier runs in the same database never match
  const a1 = String(1000 + Math.floor(Math.random() * 9000));
  const d = await startTestDispatcher(bench.db.url, {
    configFor: (id) =>
      id === PLUGIN
        ? { host: '127.0.0.1', port: 0, sweepIntervalSec: 1, requestTimeoutMs: 600_000 }
        : undefined,
    options: { leaseMs: 60_000, backoffMs: 5_000 },
  });
  const health = await d.host.registry.health(PLUGIN);
  const port = Number(/^port (\d+):/.exec(health.detail ?? '')?.[1]);
  const field = startField(port, nConc, perConc, a1);
  try {
    const tenant = await ingestTenant(db, `ctl${a1}${Date.now().toString(36)}`);
    await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`insert into plugin_settings (tenant_id, plugin_id, enabled)
        values (${tenant.tenantId}, ${PLUGIN}, true) on conflict do nothing`),
    );
    const specs = [];
    const gateways: string[] = [];
    for (let a2 = 1; a2 <= nConc; a2++) {
      const gw = await addConcentrator(db, tenant, a1, a2);
      gateways.push(gw);
      for (let i = 1; i <= perConc; i++)
        specs.push({
          comm: field.address(a2, i),
          via: 'concentrator' as const,
          line: gw,
          address: String(i),
        });
    }
    const meterIds = await addMeters(db, tenant, specs);
    await withTenant(db, tenant.tenantId, async (tx) => {
      await tx.execute(sql`update meter_routes set concentrator_id = line::uuid, point_no = address::int,
        port = ${PORT} where via = 'concentrator'`);
      await tx.execute(sql`update meters set control = 'valve'`);
    });
    const onlineCount = async () => {
      const [r] = (await withTenant(db, tenant.tenantId, (tx) =>
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
    await withTenant(db, tenant.tenantId, async (tx) => {
      for (const id of meterIds)
        await createCommand(
          tx,
          { system: 'bench' },
          tenant.tenantId,
          id,
          { action: 'valve-close', reason: 'bench', expiresInMinutes: 60 },
          d.jobs,
        );
    });
    const createMs = performance.now() - t0;
    const n = meterIds.length;
    type Row = { status: string; verified: boolean | null; n: number };
    let rows: Row[] = [];
    for (;;) {
      rows = (await withTenant(db, tenant.tenantId, (tx) =>
        tx.execute(sql`select status, verified, count(*)::int as n from meter_commands group by 1, 2`),
      )) as unknown as Row[];
      const open = rows
        .filter((r) => r.status === 'queued' || r.status === 'sent')
        .reduce((a, r) => a + r.n, 0);
      if (open === 0) break;
      if (performance.now() - t0 > 1_800_000) throw new Error(`commands still open: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const wallMs = performance.now() - t0;
    const spans = (await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`select extract(epoch from max(c.finished_at) - min(c.finished_at)) * 1000 as span
        from meter_commands c join meter_routes r on r.meter_id = c.meter_id group by r.concentrator_id`),
    )) as unknown as { span: number }[];
    const [all] = (await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`select extract(epoch from max(finished_at) - min(finished_at)) * 1000 as span
        from meter_commands`),
    )) as unknown as { span: number }[];
    const busy = spans.reduce((a, s) => a + Number(s.span), 0);
    return {
      wallMs,
      createMs,
      deliverMs: wallMs - createMs,
      overlap: Number(all.span) > 0 ? busy / Number(all.span) : 1,
      bound: field.bound(n),
      confirmed: rows.find((r) => r.status === 'confirmed' && r.verified)?.n ?? 0,
      closed: field.valvesClosed(),
      sample: rows,
      label: bench.label,
    };
  } finally {
    await field.stop();
    await d.stop();
    await bench.stop();
  }
}
