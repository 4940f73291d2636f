import { sql } from 'drizzle-orm';
import { isoOf } from './scope-sql.ts';

/** counter methods (cash, card) and online providers' methods (wechat, alipay, unionpay: a paid payment order) */
export type PaymentMethod = 'cash' | 'card' | 'wechat' | 'alipay' | 'unionpay';
/** what the counter takes */
export type CounterMethod = 'cash' | 'card';
export type PaymentStatus = 'posted' | 'reversal_requested' | 'reversed';

export interface PaymentRow extends Record<string, unknown> {
  id: string;
  account_id: string;
  account_number: string;
  customer_id: string;
  customer_number: string;
  customer_name: string;
  area_path: string[];
  method: PaymentMethod;
  amount_fen: string;
  tendered_fen: string | null;
  change_fen: string;
  terminal_ref: string | null;
  shift_id: string | null;
  status: PaymentStatus;
  ledger_entry_id: string | null;
  idempotency_key: string;
  cashier_id: string | null;
  cashier_name: string;
  note: string;
  created_at: string;
  /** the exact timestamp as text, for keyset cursors */
  created_key: string;
}

/** The columns of PaymentRow, for a query over PAYMENT_FROM. */
export const PAYMENT_COLUMNS = sql`payments.id, payments.account_id, accounts.number as account_number,
  customers.id as customer_id, customers.number as customer_number, customers.name as customer_name,
  areas.path as area_path, payments.method, payments.amount_fen::text, payments.tendered_fen::text,
  payments.change_fen::text, payments.terminal_ref, payments.shift_id, payments.status,
  payments.ledger_entry_id::text, payments.idempotency_key, payments.cashier_id, payments.cashier_name,
  payments.note, ${isoOf('payments.created_at')} as created_at, payments.created_at::text as created_key`;

/** A payment as the API shows it: fen as decimal strings, never floats. */
export function paymentDto(r: PaymentRow) {
  return {
    id: r.id,
    accountId: r.account_id,
    accountNumber: r.account_number,
    customerId: r.customer_id,
    customerNumber: r.customer_number,
    customerName: r.customer_name,
    method: r.method,
    amountFen: r.amount_fen,
    tenderedFen: r.tendered_fen,
    changeFen: r.change_fen,
    terminalRef: r.terminal_ref,
    shiftId: r.shift_id,
    status: r.status,
    ledgerEntryId: r.ledger_entry_id,
    cashierId: r.cashier_id,
    cashierName: r.cashier_name,
    note: r.note,
    createdAt: r.created_at,
  };
}

export type PaymentDto = ReturnType<typeof paymentDto>;
