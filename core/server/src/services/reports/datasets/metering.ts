import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { areaParam, dayParam, localStart, monthParam, monthStart, scopeSql } from '../scope.ts';
import { col, defineDataset, type Row } from '../types.ts';

const kindParam = z
  .string()
  .regex(/^meter-[a-z]{1,20}$/)
  .optional();

/** 抄表日报: every meter in scope, its last reading of the day and the day's consumption. */
export const dailyReading = defineDataset({
  id: 'daily-reading',
  title: { 'zh-CN': '抄表日报', en: 'Daily reading' },
  params: z.object({ day: dayParam, kind: kindParam, ...areaParam }),
  columns: [
    col('area', 'text', '区域', 'Area'),
    col('assetNo', 'text', '表号', 'Meter no.'),
    col('meterKind', 'text', '表类型', 'Kind'),
    col('reading', 'number', '当日读数', 'Reading', { decimals: 2 }),
    col('usage', 'number', '当日用量', 'Usage', { sum: true, decimals: 2 }),
    col('read', 'text', '是否抄到', 'Read'),
  ],
  groupBy: 'area',
  orientation: 'portrait',
  async query(ctx, p) {
    const from = localStart(p.day, ctx.timeZone);
    return (await ctx.tx.execute<Row>(sql`
      select ar.name as area, m.asset_no as "assetNo", m.kind as "meterKind",
        r.value as reading, coalesce(d.usage, 0) as usage,
        case when r.value is null then '✗' else '✓' end as read
      from meters m join areas ar on ar.id = m.area_id
      left join consumption_daily d on d.meter_id = m.id and d.day = ${p.day}::date
      left join lateral (select value from readings x where x.meter_id = m.id and x.ts >= ${from}
        and x.ts < ${from} + interval '1 day' order by x.ts desc limit 1) r on true
      where m.status <> 'in_stock' ${p.kind ? sql`and m.kind = ${p.kind}` : sql``}
        ${await scopeSql(ctx, 'ar', p.areaId)}
      order by ar.name, m.asset_no`)) as Row[];
  },
});

/** Monthly consumption by area and kind, one row per meter (the layout subtotals per area). */
export const monthlyConsumption = defineDataset({
  id: 'monthly-consumption',
  title: { 'zh-CN': '月度用量（按区域与表类型）', en: 'Monthly consumption by area and kind' },
  params: z.object({ month: monthParam, kind: kindParam, ...areaParam }),
  columns: [
    col('area', 'text', '区域', 'Area'),
    col('meterKind', 'text', '表类型', 'Kind'),
    col('assetNo', 'text', '表号', 'Meter no.'),
    col('usage', 'number', '用量', 'Usage', { sum: true, decimals: 2 }),
    col('readings', 'number', '读数条数', 'Readings', { sum: true, decimals: 0 }),
  ],
  groupBy: 'area',
  orientation: 'portrait',
  async query(ctx, p) {
    return (await ctx.tx.execute<Row>(sql`
      select ar.name as area, m.kind as "meterKind", m.asset_no as "assetNo",
        coalesce(cm.usage, 0) as usage, coalesce(cm.readings, 0) as readings
      from meters m join areas ar on ar.id = m.area_id
      left join consumption_monthly cm on cm.meter_id = m.id and cm.month = ${monthStart(p.month)}::date
      where m.status <> 'in_stock' ${p.kind ? sql`and m.kind = ${p.kind}` : sql``}
        ${await scopeSql(ctx, 'ar', p.areaId)}
      order by ar.name, m.kind, m.asset_no`)) as Row[];
  },
});

/** Reading success per concentrator over a date range (reading task outcomes). */
export const readingSuccess = defineDataset({
  id: 'reading-success',
  title: { 'zh-CN': '集中器抄读成功率', en: 'Reading success by concentrator' },
  params: z.object({ from: dayParam, to: dayParam, ...areaParam }),
  columns: [
    col('area', 'text', '区域', 'Area'),
    col('concentrator', 'text', '集中器', 'Concentrator'),
    col('attempted', 'number', '应抄', 'Attempted', { sum: true, decimals: 0 }),
    col('succeeded', 'number', '抄到', 'Succeeded', { sum: true, decimals: 0 }),
    col('rate', 'percent', '成功率', 'Success rate'),
  ],
  groupBy: 'area',
  orientation: 'portrait',
  async query(ctx, p) {
    const from = localStart(p.from, ctx.timeZone);
    const to = localStart(p.to, ctx.timeZone);
    return (await ctx.tx.execute<Row>(sql`
      select ar.name as area, coalesce(c.number || ' ' || c.name, '（直连）') as concentrator,
        count(*) as attempted,
        count(*) filter (where tm.outcome in ('ok', 'pushed', 'fallback_daily')) as succeeded,
        round(count(*) filter (where tm.outcome in ('ok', 'pushed', 'fallback_daily'))::numeric
          / count(*), 4) as rate
      from reading_task_meters tm
      join reading_tasks t on t.id = tm.task_id
      join areas ar on ar.id = tm.area_id
      left join concentrators c on c.id = tm.concentrator_id
      where t.created_at >= ${from} and t.created_at < ${to} + interval '1 day'
        ${await scopeSql(ctx, 'ar', p.areaId)}
      group by ar.name, c.number, c.name
      order by ar.name, concentrator`)) as Row[];
  },
});

/** 总分表 loss: a parent meter's monthly usage against the sum of its children's. */
export const lossAnalysis = defineDataset({
  id: 'loss-analysis',
  title: { 'zh-CN': '总分表损耗分析', en: 'Loss analysis (master and sub-meters)' },
  params: z.object({ month: monthParam, ...areaParam }),
  columns: [
    col('area', 'text', '区域', 'Area'),
    col('parent', 'text', '总表', 'Master meter'),
    col('children', 'number', '分表数', 'Sub-meters', { decimals: 0 }),
    col('parentUsage', 'number', '总表用量', 'Master usage', { sum: true, decimals: 2 }),
    col('childUsage', 'number', '分表用量合计', 'Sub-meter usage', { sum: true, decimals: 2 }),
    col('loss', 'number', '损耗', 'Loss', { sum: true, decimals: 2 }),
    col('lossRate', 'percent', '损耗率', 'Loss rate'),
  ],
  groupBy: 'area',
  orientation: 'landscape',
  async query(ctx, p) {
    const month = monthStart(p.month);
    return (await ctx.tx.execute<Row>(sql`
      with k as (
        select r.parent_id, count(*) as children, coalesce(sum(cm.usage), 0) as child_usage
        from meter_relations r
        left join consumption_monthly cm on cm.meter_id = r.child_id and cm.month = ${month}::date
        group by r.parent_id)
      select ar.name as area, m.asset_no as parent, k.children,
        coalesce(pm.usage, 0) as "parentUsage", k.child_usage as "childUsage",
        coalesce(pm.usage, 0) - k.child_usage as loss,
        case when coalesce(pm.usage, 0) = 0 then null
          else round((coalesce(pm.usage, 0) - k.child_usage) / pm.usage, 4) end as "lossRate"
      from k join meters m on m.id = k.parent_id join areas ar on ar.id = m.area_id
      left join consumption_monthly pm on pm.meter_id = m.id and pm.month = ${month}::date
      where true ${await scopeSql(ctx, 'ar', p.areaId)}
      order by ar.name, m.asset_no`)) as Row[];
  },
});
