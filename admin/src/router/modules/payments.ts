import type { RouteRecordRaw } from 'vue-router';

/** 收费: the cashier's counter, the payments list and the reversal approvals. */
export const paymentRoutes: RouteRecordRaw[] = [
  {
    path: 'counter',
    name: 'counter',
    component: () => import('../../views/payments/counter.vue'),
    meta: { title: 'menu.counter', permission: 'payments.collect', menu: 'payments', needsTenant: true },
  },
  {
    path: 'payments',
    name: 'payments',
    component: () => import('../../views/payments/index.vue'),
    meta: { title: 'menu.paymentList', permission: 'payments.read', menu: 'payments', needsTenant: true },
  },
  {
    path: 'payment-orders',
    name: 'payment-orders',
    component: () => import('../../views/payments/orders.vue'),
    meta: { title: 'menu.paymentOrders', permission: 'payments.read', menu: 'payments', needsTenant: true },
  },
  {
    path: 'payment-reversals',
    name: 'payment-reversals',
    component: () => import('../../views/payments/reversals.vue'),
    meta: {
      title: 'menu.paymentReversals',
      permission: 'payments.reverse.approve',
      menu: 'payments',
      needsTenant: true,
    },
  },
];
