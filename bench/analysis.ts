// Dashboards over a year of readings: each dashboard question timed (p50/p95 over N requests through
// the HTTP API, answered from the stats rollups) beside the same question answered from the raw
// readings table in the same run (lag() over the stored readings), and the ratio raw ÷ rollup.
//   estate: W water meters × D days of daily frozen readings (+ their consumption_daily rows) and
//           P power meters × D days × 96 quarter-hour readings; stats rollups refreshed once (timed).
//   npm run bench -- analysis                   10,000 × 365 daily + 1,000 × 365 × 96 (goal p95 < 200 ms)
//   npm run bench -- analysis 2000 365 100 3    any size: water meters, days, power meters, raw runs
//   npm run bench -- analysis --smoke           a tiny estate, a few seconds (CI)
import { sql } from 'drizzle-orm';
import { withTenant } from '../core/server/src/db/tenant.ts';
import { lastDays } from '../core/server/src/services/analysis/stats/job.ts';
import { refreshStats } from '../core/server/src/services/analysis/stats/refresh.ts';
import { benchPlatform } from './bench-platform.ts';

const args = process.argv.slice(2).filter((a) => a !== '--smoke');
const smoke = process.argv.includes('--smoke');
const [W, D, P] = smoke
  ? [200, 30, 20]
  : [Number(args[0] ?? 10_000), Number(args[1] ?? 365), Number(args[2] ?? 1_000)];
const RUNS = smoke ? 5 : 40;
const RAW_RUNS = smoke ? 2 : Number(args[3] ?? 3);
const TZ = 'Asia/Shanghai';

const bp = await benchPlatform({ QUADMETER_TIMEZONE: TZ });
const db = bp.running.platform.db;
const secs = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;
try {
  const { cookie, tenantId } = await bp.login();
  const w = lastDays(TZ, D);
  const t0 = performance.now();
  await withTenant(db, tenantId, async (tx) => {
    const [area] = (await tx.execute(sql`select array_agg(id) as ids from areas
      where not exists (select 1 from areas c where c.parent_id = areas.id)`)) as unknown as {
      ids: string[];
    }[];
    const areas = `{${area.ids.join(',')}}`;
    const meters = (kind: string, n: number, prefix: string) => sql`
      insert into meters (tenant_id, kind, asset_no, comm_address, protocol, area_id, status)
      select app_tenant_id(), ${kind}, ${prefix}::text || lpad(i::text, 6, '0'), lpad(i::text, 12, '0'), 'bench',
        (${areas}::uuid[])[1 + i % cardinality(${areas}::uuid[])], 'installed'
      from generate_series(1, ${n}) i`;
    await tx.execute(meters('meter-water', W, 'BW'));
    await tx.execute(meters('meter-power', P, 'BP'));
    for (let m = 0; m <= Math.ceil(D / 28) + 1; m++)
      await tx.execute(
        sql`select readings_ensure_partition((${w.from}::date + make_interval(months => ${m}))::date)`,
      );
  });
  // water: a daily frozen reading at local midnight ending each day; usage u per day, u = 0.1..0.59
  const usageOf = (kind: string) =>
    kind === 'meter-water'
      ? sql`(0.1 + (substr(m.asset_no, 3)::int % 50) * 0.01)`
      : sql`(0.5 + (substr(m.asset_no, 3)::int % 20) * 0.05)`;
  for (let d0 = 0; d0 < D; d0 += 30) {
    if (!smoke) console.log(`seeding days ${d0}… (${secs(t0)})`);
    await withTenant(db, tenantId, async (tx) => {
      const d1 = Math.min(D, d0 + 30) - 1;
      await tx.execute(sql`insert into readings (tenant_id, meter_id, kind, ts, value, received_at, idem_key)
        select m.tenant_id, m.id, 2, ((${w.from}::date + g + 1)::timestamp at time zone ${TZ}), (g + 1) * ${usageOf('meter-water')}, now(), m.id::text || ':d' || g
        from meters m, generate_series(${d0}::int, ${d1}::int) g where m.kind = 'meter-water' and m.protocol = 'bench'`);
      await tx.execute(sql`insert into consumption_daily (tenant_id, meter_id, day, usage, readings)
        select m.tenant_id, m.id, ${w.from}::date + g,
          case m.kind when 'meter-water' then ${usageOf('meter-water')} else ${usageOf('meter-power')} end, 1
        from meters m, generate_series(${d0}::int, ${d1}::int) g where m.protocol = 'bench'`);
      // power: 96 quarter-hour readings a day, each adding u / 96
      await tx.execute(sql`insert into readings (tenant_id, meter_id, kind, ts, value, received_at, idem_key)
        select m.tenant_id, m.id, 1, ((${w.from}::date)::timestamp at time zone ${TZ}) + (q + 1) * interval '15 minutes',
          (q + 1) * ${usageOf('meter-power')} / 96, now(), m.id::text || ':q' || q
        from meters m, generate_series(${d0 * 96}::int, ${(d1 + 1) * 96 - 1}::int) q where m.kind = 'meter-power' and m.protocol = 'bench'`);
    });
  }
  await withTenant(db, tenantId, (tx) =>
    tx.execute(sql`insert into reading_state (tenant_id, meter_id, ts, kind, value)
      select m.tenant_id, m.id, now() - (random() * interval '30 hours'), 1, 0 from meters m where m.protocol = 'bench'
      on conflict (tenant_id, meter_id) do update set ts = excluded.ts`),
  );
  await withTenant(db, tenantId, (tx) =>
    tx.execute(sql`analyze readings; analyze consumption_daily; analyze meters`),
  );
  const [{ n }] = (await withTenant(db, tenantId, (tx) =>
    tx.execute(sql`select count(*)::int as n from readings`),
  )) as unknown as { n: number }[];
  console.log(
    `estate: ${W} water meters × ${D} days daily, ${P} power meters × ${D} × 96; ${n.toLocaleString()} readings, seeded in ${secs(t0)}`,
  );
  const t1 = performance.now();
  const refreshed = await withTenant(db, tenantId, (tx) => refreshStats(tx, w, TZ));
  console.log(`stats refresh of the whole window: ${secs(t1)} (${refreshed.consumption} rollup rows)`);

  const get = async (path: string) => {
    const r = await fetch(`${bp.url}${path}`, { headers: { cookie } });
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return await r.json();
  };
  const raw = (q: ReturnType<typeof sql>) => withTenant(db, tenantId, (tx) => tx.execute(q));
  // per reading: the usage of the interval it ends (the first reading of a meter: from zero, as seeded)
  const usage = sql`select r.meter_id, m.kind, m.area_id,
      ((r.ts - interval '1 millisecond') at time zone ${TZ})::date as day,
      r.value - lag(r.value, 1, 0::numeric) over (partition by r.meter_id order by r.ts) as u
    from readings r join meters m on m.tenant_id = r.tenant_id and m.id = r.meter_id`;
  const questions: { name: string; rollup: () => Promise<unknown>; raw: () => Promise<unknown> }[] = [
    {
      name: 'consumption by area × kind per month, 12 months with YoY/MoM',
      rollup: () => get(`/api/v1/stats/consumption?grain=month&from=${w.from}&to=${w.to}&groupBy=area`),
      raw: () =>
        raw(sql`select date_trunc('month', x.day) as month, a.path[1] as area, x.kind, sum(x.u)::float8 as usage
          from (${usage}) x join areas a on a.tenant_id = ${tenantId}::uuid and a.id = x.area_id group by 1, 2, 3`),
    },
    {
      name: 'power meters: daily consumption over the year (15-min readings)',
      rollup: () => get(`/api/v1/stats/consumption?grain=day&from=${w.from}&to=${w.to}&kind=meter-power`),
      raw: () =>
        raw(
          sql`select x.day, sum(x.u)::float8 as usage from (${usage} where m.kind = 'meter-power') x group by 1`,
        ),
    },
    {
      name: 'dashboard tiles (30-day trend per kind, reading, arrears, prepaid)',
      rollup: () => get('/api/v1/stats/overview'),
      raw: () =>
        raw(sql`select x.day, x.kind, sum(x.u)::float8 as usage from (${usage} where r.ts >= now() - interval '31 days') x
          group by 1, 2`),
    },
    {
      name: 'meter online rate (latest reading within 24 h)',
      rollup: () => get(`/api/v1/stats/reading?from=${w.to}&to=${w.to}`),
      raw: () =>
        raw(sql`select count(*) filter (where t >= now() - interval '24 hours') from
          (select meter_id, max(ts) as t from readings group by meter_id) x`),
    },
  ];
  // the rollups and the raw readings must give the same answer (totals over the window)
  type Series = { series: { total: number }[] };
  const total = (xs: { usage: number }[]) => xs.reduce((a, x) => a + Number(x.usage), 0);
  const rolled = (r: Series) => r.series.reduce((a, x) => a + x.total, 0);
  for (const i of [0, 1]) {
    const a = rolled((await questions[i].rollup()) as Series);
    const b = total((await questions[i].raw()) as unknown as { usage: number }[]);
    const ok = Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)) + 0.01;
    console.log(
      `answers agree (${questions[i].name}): rollup ${a.toFixed(2)} raw ${b.toFixed(2)} ${ok ? 'yes' : 'NO'}`,
    );
    if (!ok) process.exitCode = 1;
  }
  const pct = (xs: number[], p: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
  const time = async (fn: () => Promise<unknown>, runs: number) => {
    await fn();
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      await fn();
      xs.push(performance.now() - s);
    }
    return { p50: pct(xs, 50), p95: pct(xs, 95) };
  };
  const rows: string[][] = [];
  let met = true;
  for (const q of questions) {
    const a = await time(q.rollup, RUNS);
    const b = await time(q.raw, RAW_RUNS);
    met &&= a.p95 < 200;
    rows.push([
      q.name,
      a.p50.toFixed(1),
      a.p95.toFixed(1),
      b.p50.toFixed(0),
      b.p95.toFixed(0),
      `${(b.p95 / a.p95).toFixed(0)}×`,
    ]);
    console.log(`measured: ${rows[rows.length - 1].join(' | ')}`);
  }
  const head = [
    'question',
    'rollup p50 ms',
    'rollup p95 ms',
    'raw p50 ms',
    'raw p95 ms',
    'raw ÷ rollup (p95)',
  ];
  console.log(`\n${[head, ...rows].map((r) => r.join(' | ')).join('\n')}`);
  console.log(`\nrollup runs ${RUNS} (HTTP, whole request), raw runs ${RAW_RUNS} (SQL only, no HTTP)`);
  console.log(`goal rollup p95 < 200 ms on every question: ${met ? 'met' : 'MISSED'}`);
} finally {
  await bp.stop();
}
