import { customerColumns } from './customer-columns.ts';
import { applyCustomers } from './customers-apply.ts';
import { type CustomerRecord, checkCustomer } from './customers-check.ts';
import { type LoadedCustomers, loadCustomers } from './customers-load.ts';
import type { EntityDef } from './entity.ts';

export const customersEntity: EntityDef<CustomerRecord, LoadedCustomers> = {
  name: 'customers',
  customFieldEntity: 'customer',
  keyColumn: 'number',
  columns: customerColumns,
  load: (tx, rows, ctx) => loadCustomers(tx, rows, ctx.today),
  check: checkCustomer,
  apply: applyCustomers,
};
