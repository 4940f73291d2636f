// The monthly consumption report over N meters (100,000 by default): the time of its dataset
// query alone (in process, one tenant transaction), beside the whole Excel download (query +
// grouping + subtotals, streamed by exceljs) and the whole PDF (query + sandboxed layout with
// its ECharts SVG + headless Chromium) through HTTP, in the same run on the same data.
//   npm run bench -- reports [meters] [areas]
//   npm run bench -- reports --smoke
import { sql } from 'drizzle-orm';
import { withTenant } from '../core/server/src/db/tenant.ts';
import type { Actor } from '../core/server/src/services/identity/actor.ts';
import { datasetOf, runDataset } from '../core/server/src/services/reports/catalogue.ts';
import { benchPlatform } from './bench-platform.ts';

const smoke = process.argv.includes('--smoke');
const args = process.argv.slice(2).filter((a) => a !== '--smoke');
const meterCount = Number(args[0] ?? (smoke ? 3000 : 100_000));
const areaCount = Number(args[1] ?? (smoke ? 10 : 100));
const month = '2026-10';

const platform = await benchPlatform({ QUADMETER_SIMULATORS: 'off' });
const db = platform.running.platform.db;
try {
  const { cookie, csrfToken, tenantId } = await platform.login();
  const t0 = performance.now();
  await withTenant(db, tenantId, async (tx) => {
    const [root] = await tx.execute<{ id: string; path: string[] }>(
      sql`select id, path from areas where parent_id is null order by created_at limit 1`,
    );
    await tx.execute(sql`insert into areas (tenant_id, parent_id, name, kind, path)
      select app_tenant_id(), ${root!.id}, '压测小区' || lpad(g::text, 3, '0'), 'community', array[${root!.id}::uuid]
      from generate_series(1, ${areaCount}) g`);
    await tx.execute(sql`update areas set path = path || id where name like '压测小区%'`);
    await tx.execute(sql`insert into meters (tenant_id, kind, asset_no, comm_address, protocol, area_id, status)
      select app_tenant_id(), case when g % 4 = 0 then 'meter-power' else 'meter-water' end, 'B' || lpad(g::text, 7, '0'),
        lpad(g::text, 14, '0'), 'cjt188', a.id, 'active'
      from generate_series(1, ${meterCount}) g
      join (select id, row_number() over (order by name) - 1 as n from areas where name like '压测小区%') a
        on a.n = g % ${areaCount}`);
    await tx.execute(sql`insert into consumption_monthly (tenant_id, meter_id, month, usage, readings)
      select app_tenant_id(), id, ${`${month}-01`}::date, (abs(hashtext(asset_no)) % 5000) / 100.0, 30 from meters`);
  });
  // fresh tables have no statistics until autovacuum runs; a live estate has them
  await withTenant(db, tenantId, (tx) => tx.execute(sql`analyze areas, meters, consumption_monthly`));
  const seedS = (performance.now() - t0) / 1000;
  console.log(`seeded ${meterCount} meters in ${areaCount} communities in ${seedS.toFixed(1)} s`);

  const ds = datasetOf('monthly-consumption');
  const actor: Actor = {
    kind: 'user',
    id: '00000000-0000-0000-0000-000000000000',
    name: 'bench',
    displayName: 'bench',
    locale: 'zh-CN',
    tenantId,
    permissions: new Set(['reports.read']),
    areaScope: null,
  };
  const query = async () => {
    const s = performance.now();
    const rows = await withTenant(db, tenantId, (tx) =>
      runDataset({ tx, actor, timeZone: 'Asia/Shanghai' }, ds, { month }),
    );
    if (rows.length !== meterCount) throw new Error(`query answered ${rows.length} rows`);
    return performance.now() - s;
  };
  const http = async (format: 'xlsx' | 'pdf') => {
    const s = performance.now();
    const res = await fetch(`${platform.url}/api/v1/reports/monthly-consumption/${format}`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ params: { month } }),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${format}: ${res.status} ${bytes.toString().slice(0, 300)}`);
    return { ms: performance.now() - s, size: bytes.length };
  };
  await query(); // warm the caches once, as a real second run would be
  const q = Math.min(await query(), await query());
  const x = await http('xlsx');
  const p = await http('pdf');
  console.log(`meters                     ${meterCount}`);
  console.log(`dataset query alone        ${q.toFixed(0)} ms (best of 2)`);
  console.log(
    `Excel (HTTP, streamed)     ${x.ms.toFixed(0)} ms, ${(x.size / 1e6).toFixed(1)} MB  ratio ${(x.ms / q).toFixed(2)}× the query`,
  );
  console.log(
    `PDF (HTTP, Chromium)       ${p.ms.toFixed(0)} ms, ${(p.size / 1e3).toFixed(0)} kB  ratio ${(p.ms / q).toFixed(2)}× the query`,
  );
} finally {
  await platform.stop();
}
