import type { RouteRecordRaw } from 'vue-router';

/** Billing (h-ledger): the billing settings in the menu; an account's statement, reached from the customer archive. */
export const billingRoutes: RouteRecordRaw[] = [
  {
    path: 'billing/settings',
    name: 'billing-settings',
    component: () => import('../../views/billing/settings.vue'),
    meta: { title: 'menu.billingSettings', permission: 'billing.run', menu: 'billing', needsTenant: true },
  },
  {
    path: 'accounts/:id/statement',
    name: 'account-statement',
    component: () => import('../../views/billing/statement.vue'),
    meta: { title: 'ledger.statement.title', permission: 'billing.read', needsTenant: true },
  },
];
