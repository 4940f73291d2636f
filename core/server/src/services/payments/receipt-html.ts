import type { ReceiptView } from './receipt.ts';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function row(label: string, value: string): string {
  return `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
}

/**
 * The receipt as a plain printable page (zh-CN); designable templates replace it later. No script
 * (the CSP forbids inline ones): the admin opens it in a window and calls that window's print().
 */
export function receiptHtml(v: ReceiptView): string {
  const rows = [
    row('收据号', v.receiptNo),
    row('收费时间', v.paidAt),
    row('户号', v.accountNumber),
    row('用户编号', v.customerNumber),
    row('用户名称', v.customerName),
    row('付款方式', v.methodLabel),
    row('金额（元）', `¥${v.amountYuan}`),
    row('金额大写', `人民币${v.amountWords}`),
    ...(v.tenderedYuan === null ? [] : [row('实收（元）', v.tenderedYuan), row('找零（元）', v.changeYuan)]),
    ...(v.terminalRef === null ? [] : [row('终端凭证号', v.terminalRef)]),
    row('收费员', v.cashierName),
    row('状态', v.statusLabel),
    ...(v.note ? [row('备注', v.note)] : []),
  ].join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>收费收据 ${escapeHtml(v.receiptNo)}</title>
<style>
body{font-family:"SimSun","Songti SC",serif;margin:24px;color:#000}
h1{font-size:20px;text-align:center;margin:0 0 4px}
.sub{text-align:center;margin:0 0 12px}
table{border-collapse:collapse;width:100%;max-width:480px;margin:0 auto}
th,td{border:1px solid #000;padding:4px 8px;text-align:left}
th{width:8em;font-weight:normal}
.foot{max-width:480px;margin:12px auto 0;font-size:12px}
@media print{body{margin:0}}
</style></head>
<body>
<h1>${escapeHtml(v.tenantName)} 收费收据</h1>
<p class="sub">No. ${escapeHtml(v.receiptNo)}</p>
<table>
${rows}
</table>
<p class="foot">流水号 ${escapeHtml(v.paymentId)}</p>
</body></html>
`;
}
