import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { areaParam, dayParam, localStart, monthParam, monthStart, scopeSql } from '../scope.ts';
import { col, defineDataset, type Row } from '../types.ts';

/** Where a customer-owned row belongs: the customer's area. */
const ACCOUNT_AREA = sql`join accounts acc on acc.id = x.account_id
  join customers cu on cu.id = acc.customer_id join areas ar on ar.id = cu.area_id`;

/** Unpaid issued bills with their age past the due date (0–30, 31–90, 91–180, >180 days). */
export const arrears = defineDataset({
  id: 'arrears',
  title: { 'zh-CN': '欠费清单（账龄）', en: 'Arrears with ageing' },
  params: z.object({ asOf: dayParam, ...areaParam }),
  columns: [
    col('area', 'text', '区域', 'Area'),
    col('account', 'text', '户号', 'Account'),
    col('customer', 'text', '户名', 'Customer'),
    col('bill', 'text', '账单号', 'Bill'),
    col('dueDate', 'date', '应缴日期', 'Due date'),
    col('ageDays', 'number', '逾期天数', 'Days overdue', { decimals: 0 }),
    col('bucket', 'text', '账龄', 'Ageing'),
    col('unpaidFen', 'money', '欠费金额', 'Unpaid', { sum: true }),
  ],
  groupBy: 'bucket',
  orientation: 'landscape',
  async query(ctx, p) {
    return (await ctx.tx.execute<Row>(sql`
      with b as (
        select x.id, x.number, x.account_id, x.area_id, x.due_date,
          x.total_fen - coalesce((select sum(al.amount_fen) from ledger_entries le
            join ledger_allocations al on al.debit_entry_id = le.id
            where le.bill_id = x.id and le.kind = 'charge'), 0) as unpaid
        from bills x where x.status = 'issued' and x.issued_at < ${p.asOf}::date + 1)
      select ar.name as area, acc.number as account, cu.name as customer, b.number as bill,
        to_char(b.due_date, 'YYYY-MM-DD') as "dueDate",
        greatest(${p.asOf}::date - coalesce(b.due_date, ${p.asOf}::date), 0) as "ageDays",
        case when ${p.asOf}::date - coalesce(b.due_date, ${p.asOf}::date) <= 30 then '0-30'
          when ${p.asOf}::date - b.due_date <= 90 then '31-90'
          when ${p.asOf}::date - b.due_date <= 180 then '91-180' else '>180' end as bucket,
        b.unpaid as "unpaidFen"
      from b join accounts acc on acc.id = b.account_id join customers cu on cu.id = acc.customer_id
      join areas ar on ar.id = b.area_id
      where b.unpaid > 0 ${await scopeSql(ctx, 'ar', p.areaId)}
      order by bucket, ar.name, acc.number, b.number`)) as Row[];
  },
});

/** Prepaid balances and cut states (one row per prepaid account). */
export const prepaidBalances = defineDataset({
  id: 'prepaid-balances',
  title: { 'zh-CN': '预付费余额与停复电', en: 'Prepaid balances and cuts' },
  params: z.object({
    state: z
      .enum(['normal', 'alarm1', 'alarm2', 'overdraft', 'cut_pending', 'cut', 'reconnect_pending'])
      .optional(),
    ...areaParam,
  }),
  columns: [
    col('area', 'text', '区域', 'Area'),
    col('account', 'text', '户号', 'Account'),
    col('customer', 'text', '户名', 'Customer'),
    col('state', 'text', '状态', 'State'),
    col('stateSince', 'date', '状态起始', 'Since'),
    col('balanceFen', 'money', '余额', 'Balance', { sum: true }),
  ],
  groupBy: 'state',
  orientation: 'portrait',
  async query(ctx, p) {
    return (await ctx.tx.execute<Row>(sql`
      select ar.name as area, acc.number as account, cu.name as customer, x.state,
        to_char(x.state_since at time zone ${ctx.timeZone}, 'YYYY-MM-DD') as "stateSince",
        x.balance_fen as "balanceFen"
      from prepaid_accounts x ${ACCOUNT_AREA}
      where true ${p.state ? sql`and x.state = ${p.state}` : sql``} ${await scopeSql(ctx, 'ar', p.areaId)}
      order by x.state, ar.name, acc.number`)) as Row[];
  },
});

/** 收费日报: posted payments of a local day by channel and cashier shift. */
export const paymentsDaily = defineDataset({
  id: 'payments-daily',
  title: { 'zh-CN': '收费日报（渠道与班次）', en: 'Payments by channel and cashier shift' },
  params: z.object({ day: dayParam, ...areaParam }),
  columns: [
    col('channel', 'text', '渠道', 'Channel'),
    col('cashier', 'text', '收费员', 'Cashier'),
    col('shiftOpened', 'text', '班次开始', 'Shift opened'),
    col('count', 'number', '笔数', 'Payments', { sum: true, decimals: 0 }),
    col('amountFen', 'money', '金额', 'Amount', { sum: true }),
  ],
  groupBy: 'channel',
  orientation: 'portrait',
  async query(ctx, p) {
    const from = localStart(p.day, ctx.timeZone);
    return (await ctx.tx.execute<Row>(sql`
      select x.method as channel, coalesce(nullif(x.cashier_name, ''), '—') as cashier,
        coalesce(to_char(s.opened_at at time zone ${ctx.timeZone}, 'YYYY-MM-DD HH24:MI'), '—') as "shiftOpened",
        count(*) as count, sum(x.amount_fen) as "amountFen"
      from payments x ${ACCOUNT_AREA}
      left join cashier_shifts s on s.id = x.shift_id
      where x.status = 'posted' and x.created_at >= ${from} and x.created_at < ${from} + interval '1 day'
        ${await scopeSql(ctx, 'ar', p.areaId)}
      group by x.method, x.cashier_name, s.id, s.opened_at
      order by x.method, cashier, "shiftOpened"`)) as Row[];
  },
});

/** Revenue of issued bills of a month by tariff component (water fee, resource fee, sewage fee…). */
export const tariffRevenue = defineDataset({
  id: 'tariff-revenue',
  title: { 'zh-CN': '分项收入（按费用构成）', en: 'Tariff revenue by component' },
  params: z.object({ month: monthParam, ...areaParam }),
  columns: [
    col('category', 'text', '类别', 'Category'),
    col('component', 'text', '构成', 'Component'),
    col('label', 'text', '名称', 'Label'),
    col('quantity', 'number', '数量', 'Quantity', { sum: true, decimals: 2 }),
    col('amountFen', 'money', '金额', 'Amount', { sum: true }),
  ],
  groupBy: 'category',
  orientation: 'portrait',
  async query(ctx, p) {
    const m = monthStart(p.month);
    return (await ctx.tx.execute<Row>(sql`
      select l.category, l.component, l.label, coalesce(sum(l.quantity), 0) as quantity,
        sum(l.amount_fen) as "amountFen"
      from bill_lines l join bills b on b.id = l.bill_id join areas ar on ar.id = b.area_id
      where b.status = 'issued' and b.period_from >= ${m}::date
        and b.period_from < ${m}::date + interval '1 month' ${await scopeSql(ctx, 'ar', p.areaId)}
      group by l.category, l.component, l.label
      order by l.category, l.component, l.label`)) as Row[];
  },
});
