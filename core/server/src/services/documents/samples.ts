import type { DocumentKind } from './kinds.ts';
import { type DocumentView, emptyEInvoice } from './views.ts';

const common = (kind: DocumentKind): DocumentView => ({
  tenant: { name: '示例水务公司' },
  document: { number: 'SJ2026000123', kind, issuedAt: '2026-11-30T08:05:00.000Z' },
  account: { id: '00000000-0000-0000-0000-000000000000', number: 'A-10086', owedFen: '12350' },
  customer: { number: 'C-10086', name: '张三', address: '幸福小区 3 栋 1 单元 402' },
});

const bill = {
  id: '00000000-0000-0000-0000-000000000001',
  number: 'ZD202611000042',
  periodFrom: '2026-11-01',
  periodEnd: '2026-11-30',
  dueDate: '2026-12-15',
  totalFen: '8650',
  lines: [
    { label: '第一阶梯水费', quantity: '18', unit: 'm³', price: '3.45', amountFen: '6210' },
    { label: '污水处理费', quantity: '18', unit: 'm³', price: '0.95', amountFen: '1710' },
    { label: '水资源费', quantity: '18', unit: 'm³', price: '0.4', amountFen: '730' },
  ],
};

/** Sample data per kind: the designer previews with it and a template is checked against it. */
export function sampleView(kind: DocumentKind): DocumentView {
  const v = common(kind);
  if (kind === 'receipt')
    v.payment = {
      id: '00000000-0000-0000-0000-000000000002',
      paidAt: '2026-11-30T08:05:00.000Z',
      method: 'cash',
      methodLabel: '现金',
      amountFen: '10000',
      tenderedFen: '10000',
      changeFen: '0',
      terminalRef: null,
      cashierName: '李收费',
      note: '',
    };
  if (kind === 'payment-notice' || kind === 'invoice') v.bill = structuredClone(bill);
  if (kind === 'invoice') v.einvoice = emptyEInvoice('张三', '示例水务公司');
  return v;
}

/** Every field path of the sample (arrays as `lines.0.x` → `this.x` inside `{{#each}}`): the palette. */
export function fieldPalette(kind: DocumentKind): string[] {
  const out: string[] = [];
  const walk = (o: unknown, prefix: string) => {
    if (Array.isArray(o)) {
      out.push(`${prefix}[]`);
      if (o[0] && typeof o[0] === 'object') for (const k of Object.keys(o[0])) out.push(`${prefix}[].${k}`);
      return;
    }
    if (o && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) walk(v, prefix ? `${prefix}.${k}` : k);
      return;
    }
    out.push(prefix);
  };
  walk(sampleView(kind), '');
  return out;
}
