import type { RouteRecordRaw } from 'vue-router';

/** Billing: the postpaid bill run console. */
export const billingRoutes: RouteRecordRaw[] = [
  {
    path: 'billing/bill-runs',
    name: 'bill-runs',
    component: () => import('../../views/billing/bill-runs.vue'),
    meta: { title: 'menu.billRuns', permission: 'billing.read', menu: 'billing', needsTenant: true },
  },
];
