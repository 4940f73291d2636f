import { inScope } from '../identity/actor.ts';
import { ACCOUNT_COLUMNS } from './customer-columns.ts';
import { factOn, type LoadedCustomers } from './customers-load.ts';
import type { CheckContext, Checked, ParsedRow, RowError } from './entity.ts';
import { given, mergeCustom, sameJson, textField } from './row-values.ts';

export interface CustomerRecord {
  customer: {
    number: string;
    name: string;
    type: string;
    phone: string | null;
    id_number: string | null;
    address: string | null;
    area_id: string;
    low_income: boolean;
    tags: string[];
    notes: string;
    status: string;
    custom: Record<string, unknown>;
  };
  customerChanged: boolean;
  account: {
    number: string;
    customer_number: string;
    reading_day: number;
    billing_cycle_months: number;
    deposit_fen: string;
  } | null;
  mode: { account: string; effective_from: string; mode: string } | null;
  facts: { customer_number: string; kind: string; effective_from: string; value: string }[];
}

/** The file's tags (a set); the stored array itself when it holds the same set, so nothing is rewritten. */
function tagsOf(row: ParsedRow, stored: string[] | undefined): string[] {
  if (!row.values.has('tags')) return stored ?? [];
  const wanted = given<string[]>(row, 'tags') ?? [];
  const same =
    stored && stored.length === wanted.length && [...stored].sort().join('\u0001') === wanted.join('\u0001');
  return same ? stored : wanted;
}

export function checkCustomer(
  row: ParsedRow,
  loaded: LoadedCustomers,
  ctx: CheckContext,
  seen: Map<string, number>,
): Checked<CustomerRecord> {
  const errors: RowError[] = [];
  const number = row.values.get('number') as string;
  const existing = loaded.customers.get(number);
  if (existing) {
    const at = loaded.areas.byId.get(existing.areaId);
    if (!at || !inScope(ctx.actor, at.path))
      return {
        errors: [
          {
            column: 'number',
            code: 'customer_out_of_scope',
            message: 'belongs to a customer outside your areas',
          },
        ],
      };
  }
  let areaId = existing?.areaId;
  const areaText = given<string>(row, 'area');
  if (areaText) {
    const found = loaded.areas.find(areaText);
    if (!found.ok) errors.push({ column: 'area', code: found.code, message: found.message });
    else if (!inScope(ctx.actor, found.area.path))
      errors.push({
        column: 'area',
        code: 'area_out_of_scope',
        message: `${areaText} is outside your areas`,
      });
    else areaId = found.area.id;
  }
  const customer: CustomerRecord['customer'] = {
    number,
    name: given<string>(row, 'name') ?? existing?.name ?? '',
    type: given<string>(row, 'type') ?? existing?.type ?? 'resident',
    phone: textField(row, 'phone', existing?.phone),
    id_number: textField(row, 'idNumber', existing?.idNumber),
    address: textField(row, 'address', existing?.address),
    area_id: areaId ?? '',
    low_income: given<boolean>(row, 'lowIncome') ?? existing?.lowIncome ?? false,
    tags: tagsOf(row, existing?.tags),
    notes: row.values.has('notes') ? (given<string>(row, 'notes') ?? '') : (existing?.notes ?? ''),
    status: given<string>(row, 'status') ?? existing?.status ?? 'active',
    custom: mergeCustom(row, existing?.custom),
  };
  const customerChanged =
    !existing ||
    customer.name !== existing.name ||
    customer.type !== existing.type ||
    customer.phone !== existing.phone ||
    customer.id_number !== existing.idNumber ||
    customer.address !== existing.address ||
    customer.area_id !== existing.areaId ||
    customer.low_income !== existing.lowIncome ||
    customer.tags !== existing.tags ||
    customer.notes !== existing.notes ||
    customer.status !== existing.status ||
    !sameJson(customer.custom, existing.custom);

  const { account, mode, accountChanged } = checkAccount(
    row,
    loaded,
    ctx,
    seen,
    number,
    existing?.id,
    errors,
  );
  const facts = checkFacts(row, loaded, ctx, number, existing?.id);
  const changed = customerChanged || accountChanged || mode !== null || facts.length > 0;
  if (existing?.status === 'closed' && changed)
    errors.push({
      column: 'number',
      code: 'customer_closed',
      message: 'the customer is closed; reopen it in the archive first',
    });
  if (errors.length) return { errors };
  return {
    outcome: !existing ? 'created' : changed ? 'updated' : 'unchanged',
    record: { customer, customerChanged, account: accountChanged ? account : null, mode, facts },
  };
}

function checkAccount(
  row: ParsedRow,
  loaded: LoadedCustomers,
  ctx: CheckContext,
  seen: Map<string, number>,
  customerNumber: string,
  customerId: string | undefined,
  errors: RowError[],
) {
  const none = { account: null, mode: null, accountChanged: false };
  const accountNumber = given<string>(row, 'accountNumber');
  if (!accountNumber) {
    const stray = ACCOUNT_COLUMNS.find((k) => given(row, k) !== undefined);
    if (stray)
      errors.push({
        column: 'accountNumber',
        code: 'required',
        message: `is required when ${stray} is given`,
      });
    return none;
  }
  const first = seen.get(`account:${accountNumber}`);
  if (first !== undefined) {
    errors.push({ column: 'accountNumber', code: 'duplicate_in_file', message: `duplicates row ${first}` });
    return none;
  }
  seen.set(`account:${accountNumber}`, row.row);
  const stored = loaded.accounts.get(accountNumber);
  if (stored && stored.customerId !== customerId) {
    errors.push({
      column: 'accountNumber',
      code: 'account_owner',
      message: `belongs to customer ${stored.customerNumber}`,
    });
    return none;
  }
  const account = {
    number: accountNumber,
    customer_number: customerNumber,
    reading_day: given<number>(row, 'readingDay') ?? stored?.readingDay ?? 1,
    billing_cycle_months: given<number>(row, 'billingCycleMonths') ?? stored?.billingCycleMonths ?? 1,
    deposit_fen: given<string>(row, 'deposit') ?? stored?.depositFen ?? '0',
  };
  const accountChanged =
    !stored ||
    account.reading_day !== stored.readingDay ||
    account.billing_cycle_months !== stored.billingCycleMonths ||
    account.deposit_fen !== stored.depositFen;
  const wanted = given<string>(row, 'billingMode');
  const mode =
    wanted && wanted !== stored?.mode
      ? { account: accountNumber, effective_from: ctx.today, mode: wanted }
      : null;
  return { account, mode, accountChanged };
}

function checkFacts(
  row: ParsedRow,
  loaded: LoadedCustomers,
  ctx: CheckContext,
  customerNumber: string,
  customerId: string | undefined,
) {
  const from = given<string>(row, 'factsFrom') ?? ctx.today;
  const stored = customerId ? loaded.facts.get(customerId) : undefined;
  const out: CustomerRecord['facts'] = [];
  for (const [key, kind] of [
    ['householdSize', 'household_size'],
    ['heatedArea', 'heated_area_m2'],
  ] as const) {
    const value = given<string>(row, key);
    if (value === undefined) continue;
    const current = factOn(stored, kind, from);
    if (current === undefined || Number(current) !== Number(value))
      out.push({ customer_number: customerNumber, kind, effective_from: from, value });
  }
  return out;
}
