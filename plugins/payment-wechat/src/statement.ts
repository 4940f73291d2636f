import { AppError, type Statement, type StatementLine } from '@quadmeter/sdk';

/** The columns of the trade bill (交易账单, bill_type ALL) this reader needs. */
export const BILL_COLUMNS = [
  '交易时间',
  '公众账号ID',
  '商户号',
  '特约商户号',
  '设备号',
  '微信订单号',
  '商户订单号',
  '用户标识',
  '交易类型',
  '交易状态',
  '付款银行',
  '货币种类',
  '应结订单金额',
  '代金券金额',
  '微信退款单号',
  '商户退款单号',
  '退款金额',
  '充值券退款金额',
  '退款类型',
  '退款状态',
  '商品名称',
  '商户数据包',
  '手续费',
  '费率',
  '订单金额',
  '申请退款金额',
  '费率备注',
] as const;

const bad = (line: number, why: string): never => {
  throw new AppError('FILE_UNREADABLE', `Trade bill line ${line}: ${why}`, { line });
};

/** '12.30' (yuan, two decimals) → 1230 fen, by the digits, never through a float. */
export function yuanToFen(text: string, line: number): number {
  const m = /^(\d{1,10})\.(\d{2})$/.exec(text);
  if (!m) return bad(line, `amount '${text.slice(0, 20)}' is not yuan with two decimals`);
  return Number(m[1]) * 100 + Number(m[2]);
}

/** '2026-11-30 08:00:00' in Beijing time → ISO instant. */
function beijingTime(text: string, line: number): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text);
  const d = m ? new Date(`${m[1]}T${m[2]}+08:00`) : undefined;
  if (!d || Number.isNaN(d.getTime())) return bad(line, 'the trade time is not yyyy-MM-dd HH:mm:ss');
  return d.toISOString();
}

/**
 * Reads a trade bill: a header row, one row per trade with every field led by a backtick, then
 * the totals header and row. A SUCCESS row is a payment of 应结订单金额; a REFUND row a refund of
 * 退款金额 under the 微信退款单号. One unreadable row refuses the whole file (FILE_UNREADABLE).
 */
export function readTradeBill(s: Statement): StatementLine[] {
  const text =
    typeof s.content === 'string' ? s.content : new TextDecoder('utf-8', { fatal: true }).decode(s.content);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0]?.split(',') ?? [];
  const at = new Map(header.map((h, i) => [h.trim(), i]));
  for (const col of [
    '交易时间',
    '微信订单号',
    '商户订单号',
    '交易状态',
    '应结订单金额',
    '微信退款单号',
    '退款金额',
    '手续费',
  ])
    if (!at.has(col)) bad(1, `the header has no ${col}`);
  const col = (f: string[], name: string) => f[at.get(name) as number] ?? '';
  const out: StatementLine[] = [];
  for (let i = 1; i < lines.length; i++) {
    const row = lines[i];
    if (row.trim() === '') continue;
    if (row.startsWith('总交易单数')) break;
    const f = row.split(',');
    if (f.length !== header.length || f.some((v) => !v.startsWith('`'))) bad(i + 1, 'not a trade row');
    const v = f.map((x) => x.slice(1));
    const state = col(v, '交易状态');
    const ts = beijingTime(col(v, '交易时间'), i + 1);
    const feeFen = yuanToFen(col(v, '手续费'), i + 1);
    const orderId = col(v, '商户订单号');
    if (state === 'SUCCESS') {
      out.push({
        providerTxnId: col(v, '微信订单号'),
        orderId,
        kind: 'payment',
        amountFen: yuanToFen(col(v, '应结订单金额'), i + 1),
        feeFen,
        ts,
      });
    } else if (state === 'REFUND') {
      out.push({
        providerTxnId: col(v, '微信退款单号'),
        orderId,
        kind: 'refund',
        amountFen: yuanToFen(col(v, '退款金额'), i + 1),
        feeFen,
        ts,
      });
    } else {
      bad(i + 1, `unknown trade state '${state.slice(0, 20)}'`);
    }
  }
  return out;
}
