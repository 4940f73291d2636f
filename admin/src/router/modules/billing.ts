import type { RouteRecordRaw } from 'vue-router';

/** 计费 / Billing: the bills list, the review queue of held bills, and one bill's detail. */
export const billingRoutes: RouteRecordRaw[] = [
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
];
