import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { areaFilter, checkDay, shift } from './period.ts';

const round = (x: number) => Math.round(x * 10_000) / 10_000;
const rate = (loss: number, master: number) =>
  master === 0 ? null : Math.round((loss / master) * 10_000) / 10_000;

interface Row {
  month: string;
  master_id: string;
  asset_no: string;
  kind: string;
  area_id: string;
  area: string;
  master: number;
  sub: number;
  subs: number;
}

/**
 * Master/sub-meter balance (总分表) per master meter within the scope, per area of the masters and
 * as a 12-month trend ending at `month`: the master's monthly usage against the sum of its direct
 * sub-meters' (consumption_monthly), the difference the loss (漏损) and its share the loss rate.
 */
export async function balanceStats(tx: Tx, actor: Actor, q: { month: string; areaId?: string }) {
  const month = checkDay(`${q.month}-01`, 'month');
  const first = shift(month, 'month', -11);
  const { cond } = await areaFilter(tx, actor, q.areaId);
  const rows = (await tx.execute(sql`
    with masters as (
      select m.id, m.asset_no, m.kind, m.area_id, a.name as area from meters m
      join areas a on a.tenant_id = m.tenant_id and a.id = m.area_id
      where ${cond} and exists (select 1 from meter_relations r where r.tenant_id = m.tenant_id and r.parent_id = m.id)
    ), months as (
      select generate_series(${first}::date, ${month}::date, interval '1 month')::date as month
    )
    select mo.month::text as month, ms.id::text as master_id, ms.asset_no, ms.kind, ms.area_id::text as area_id, ms.area,
      coalesce((select c.usage from consumption_monthly c where c.tenant_id = current_setting('app.tenant_id')::uuid
        and c.meter_id = ms.id and c.month = mo.month), 0)::float8 as master,
      coalesce((select sum(c.usage) from meter_relations r join consumption_monthly c
        on c.tenant_id = r.tenant_id and c.meter_id = r.child_id and c.month = mo.month
        where r.tenant_id = current_setting('app.tenant_id')::uuid and r.parent_id = ms.id), 0)::float8 as sub,
      (select count(*) from meter_relations r where r.tenant_id = current_setting('app.tenant_id')::uuid
        and r.parent_id = ms.id)::int as subs
    from masters ms cross join months mo
    order by ms.area, ms.asset_no, mo.month`)) as unknown as Row[];
  const now = rows.filter((r) => r.month === month);
  const meters = now.map((r) => ({
    meterId: r.master_id,
    assetNo: r.asset_no,
    kind: r.kind,
    areaId: r.area_id,
    areaName: r.area,
    subMeters: r.subs,
    master: round(r.master),
    sub: round(r.sub),
    loss: round(r.master - r.sub),
    lossRate: rate(r.master - r.sub, r.master),
  }));
  const sum = (xs: Row[], key: (r: Row) => string) => {
    const m = new Map<string, { key: string; label: string; kind: string; master: number; sub: number }>();
    for (const r of xs) {
      const k = `${key(r)}|${r.kind}`;
      const g = m.get(k) ?? m.set(k, { key: key(r), label: r.area, kind: r.kind, master: 0, sub: 0 }).get(k);
      if (!g) continue;
      g.master += r.master;
      g.sub += r.sub;
    }
    return [...m.values()].map((g) => ({
      ...g,
      master: round(g.master),
      sub: round(g.sub),
      loss: round(g.master - g.sub),
      lossRate: rate(g.master - g.sub, g.master),
    }));
  };
  const areas = sum(now, (r) => r.area_id).map(({ key, label, ...g }) => ({
    areaId: key,
    areaName: label,
    ...g,
  }));
  const trend = sum(rows, (r) => r.month).map(({ key, label: _, ...g }) => ({ month: key, ...g }));
  trend.sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  return { month: q.month, meters, areas, trend };
}
