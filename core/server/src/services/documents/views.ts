import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { notFound } from '../archives/scope.ts';
import type { Actor } from '../identity/actor.ts';
import { paymentRow } from '../payments/payment-read.ts';
import { scopeAnd } from '../payments/scope-sql.ts';
import type { DocumentKind } from './kinds.ts';

/**
 * What a document template sees. Amounts are fen as decimal text (exact; the `yuan` and `rmb`
 * helpers format them); dates ISO (the `date`/`datetime` helpers show them in the tenant's zone).
 */
export interface DocumentView {
  tenant: { name: string };
  document: { number: string; kind: DocumentKind; issuedAt: string };
  account: { id: string; number: string; owedFen: string };
  customer: { number: string; name: string; address: string };
  payment?: Record<string, string | null>;
  bill?: BillView;
  /** 数电票: what an e-invoice provider will fill in; empty until one is connected */
  einvoice?: EInvoiceFields;
}

export interface BillView {
  id: string;
  number: string;
  periodFrom: string;
  periodEnd: string;
  dueDate: string;
  totalFen: string;
  lines: { label: string; quantity: string; unit: string; price: string; amountFen: string }[];
}

export interface EInvoiceFields {
  provider: string;
  status: 'none' | 'requested' | 'issued' | 'red-flushed';
  invoiceCode: string;
  invoiceNumber: string;
  checkCode: string;
  buyerName: string;
  buyerTaxId: string;
  sellerName: string;
  sellerTaxId: string;
  taxRate: string;
  taxFen: string;
}

const METHOD_LABEL: Record<string, string> = { cash: '现金', card: '刷卡' };

interface AccountFacts extends Record<string, unknown> {
  id: string;
  number: string;
  owed_fen: string;
  customer_number: string;
  customer_name: string;
  address: string | null;
  area_path: string[];
  tenant_name: string;
}

/** The account (in the actor's scope) with its customer and what it owes now. */
export async function accountFacts(tx: Tx, actor: Actor, accountId: string): Promise<AccountFacts> {
  const [row] = await tx.execute<AccountFacts>(sql`
    select accounts.id, accounts.number, greatest(0, -coalesce(b.balance_fen, 0))::text as owed_fen,
      customers.number as customer_number, customers.name as customer_name, customers.address,
      areas.path as area_path, tenants.name as tenant_name
    from accounts join customers on customers.id = accounts.customer_id
      join areas on areas.id = customers.area_id
      join tenants on tenants.id = accounts.tenant_id
      left join account_balances b on b.account_id = accounts.id
    where accounts.id = ${accountId} ${scopeAnd(actor)}`);
  if (!row) throw notFound('account', accountId);
  return row;
}

function base(a: AccountFacts, kind: DocumentKind, number: string, issuedAt: string): DocumentView {
  return {
    tenant: { name: a.tenant_name },
    document: { number, kind, issuedAt },
    account: { id: a.id, number: a.number, owedFen: a.owed_fen },
    customer: { number: a.customer_number, name: a.customer_name, address: a.address ?? '' },
  };
}

export async function receiptView(tx: Tx, actor: Actor, paymentId: string, number: string, issuedAt: string) {
  const p = await paymentRow(tx, actor, paymentId);
  const a = await accountFacts(tx, actor, p.account_id);
  return {
    accountId: p.account_id,
    areaPath: a.area_path,
    status: p.status,
    view: {
      ...base(a, 'receipt', number, issuedAt),
      payment: {
        id: p.id,
        paidAt: p.created_at,
        method: p.method,
        methodLabel: METHOD_LABEL[p.method] ?? p.method,
        amountFen: p.amount_fen,
        tenderedFen: p.tendered_fen,
        changeFen: p.change_fen,
        terminalRef: p.terminal_ref,
        cashierName: p.cashier_name,
        note: p.note,
      },
    } satisfies DocumentView,
  };
}

interface BillRow extends Record<string, unknown> {
  id: string;
  number: string | null;
  account_id: string;
  status: string;
  period_from: string;
  period_end: string;
  due_date: string | null;
  total_fen: string;
}

/** A bill in the actor's scope (by its account's customer area). */
export async function billRow(tx: Tx, actor: Actor, billId: string): Promise<BillRow> {
  const [row] = await tx.execute<BillRow>(sql`
    select bills.id, bills.number, bills.account_id, bills.status, bills.period_from::text,
      (bills.period_to - 1)::text as period_end, bills.due_date::text, bills.total_fen::text
    from bills join accounts on accounts.id = bills.account_id
      join customers on customers.id = accounts.customer_id join areas on areas.id = customers.area_id
    where bills.id = ${billId} ${scopeAnd(actor)}`);
  if (!row) throw notFound('bill', billId);
  return row;
}

export async function billView(tx: Tx, b: BillRow): Promise<BillView> {
  const lines = await tx.execute<BillView['lines'][number]>(sql`
    select label, coalesce(trim_scale(quantity)::text, '') as quantity, coalesce(unit, '') as unit,
      coalesce(trim_scale(price)::text, '') as price, amount_fen::text as "amountFen"
    from bill_lines where bill_id = ${b.id} order by line_no`);
  return {
    id: b.id,
    number: b.number ?? '',
    periodFrom: b.period_from,
    periodEnd: b.period_end,
    dueDate: b.due_date ?? '',
    totalFen: b.total_fen,
    lines: [...lines],
  };
}

/** A payment notice (缴费通知单) or an invoice for a bill. */
export async function billDocumentView(
  tx: Tx,
  actor: Actor,
  kind: 'payment-notice' | 'invoice',
  b: BillRow,
  number: string,
  issuedAt: string,
) {
  const a = await accountFacts(tx, actor, b.account_id);
  const view: DocumentView = { ...base(a, kind, number, issuedAt), bill: await billView(tx, b) };
  if (kind === 'invoice') view.einvoice = emptyEInvoice(a.customer_name, a.tenant_name);
  return { accountId: b.account_id, areaPath: a.area_path, view };
}

export function emptyEInvoice(buyerName: string, sellerName: string): EInvoiceFields {
  return {
    provider: '',
    status: 'none',
    invoiceCode: '',
    invoiceNumber: '',
    checkCode: '',
    buyerName,
    buyerTaxId: '',
    sellerName,
    sellerTaxId: '',
    taxRate: '',
    taxFen: '',
  };
}
