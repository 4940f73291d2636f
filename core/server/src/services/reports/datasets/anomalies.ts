import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { areaParam, dayParam, localStart, scopeSql } from '../scope.ts';
import { col, defineDataset, type Row } from '../types.ts';

/**
 * Anomalies by rule over a date range, against the anomaly_findings contract (h-vee's table:
 * rule, severity, status, first/last_seen_at, occurrences). Where the table does not exist yet
 * the report answers no rows rather than failing.
 */
export const anomaliesByRule = defineDataset({
  id: 'anomalies',
  title: { 'zh-CN': '异常统计（按规则）', en: 'Anomalies by rule' },
  params: z.object({ from: dayParam, to: dayParam, ...areaParam }),
  columns: [
    col('rule', 'text', '规则', 'Rule'),
    col('severity', 'text', '级别', 'Severity'),
    col('area', 'text', '区域', 'Area'),
    col('findings', 'number', '异常数', 'Findings', { sum: true, decimals: 0 }),
    col('open', 'number', '未处理', 'Open', { sum: true, decimals: 0 }),
    col('occurrences', 'number', '发生次数', 'Occurrences', { sum: true, decimals: 0 }),
  ],
  groupBy: 'rule',
  orientation: 'portrait',
  async query(ctx, p) {
    const [t] = await ctx.tx.execute<{ ok: boolean }>(
      sql`select to_regclass('anomaly_findings') is not null as ok`,
    );
    const scope = await scopeSql(ctx, 'ar', p.areaId);
    if (!t?.ok) return [];
    const from = localStart(p.from, ctx.timeZone);
    const to = localStart(p.to, ctx.timeZone);
    return (await ctx.tx.execute<Row>(sql`
      select f.rule, f.severity, ar.name as area, count(*) as findings,
        count(*) filter (where f.status in ('open', 'assigned')) as open,
        coalesce(sum(f.occurrences), 0) as occurrences
      from anomaly_findings f join meters m on m.id = f.meter_id join areas ar on ar.id = m.area_id
      where f.last_seen_at >= ${from} and f.first_seen_at < ${to} + interval '1 day' ${scope}
      group by f.rule, f.severity, ar.name
      order by f.rule, f.severity, ar.name`)) as Row[];
  },
});
