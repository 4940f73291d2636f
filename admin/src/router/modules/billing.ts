import type { RouteRecordRaw } from 'vue-router';
import { tariffRoutes } from './billing-tariffs.ts';
import { prepaidRoutes } from './prepaid.ts';

/**
 * 计费 / Billing: tariffs (billing-tariffs.ts), bill runs, bills, the review queue of held bills, one bill's detail, the billing settings,
 * and an account's statement (reached from the customer archive).
 */
export const billingRoutes: RouteRecordRaw[] = [
  ...tariffRoutes,
  ...prepaidRoutes,
  {
    path: 'billing/bill-runs',
    name: 'bill-runs',
    component: () => import('../../views/billing/bill-runs.vue'),
    meta: { title: 'menu.billRuns', permission: 'billing.read', menu: 'billing', needsTenant: true },
  },
  {
    path: 'billing/bills',
    name: 'bills',
    component: () => import('../../views/bills/index.vue'),
    meta: { title: 'menu.bills', permission: 'billing.read', menu: 'billing', needsTenant: true },
  },
  {
    path: 'billing/review',
    name: 'bill-review',
    component: () => import('../../views/bills/review.vue'),
    meta: { title: 'menu.billReview', permission: 'billing.run', menu: 'billing', needsTenant: true },
  },
  {
    path: 'billing/bills/:id',
    name: 'bill-detail',
    component: () => import('../../views/bills/detail.vue'),
    meta: { title: 'bills.title', permission: 'billing.read', needsTenant: true },
  },
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
