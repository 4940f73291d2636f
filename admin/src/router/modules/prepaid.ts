import type { RouteRecordRaw } from 'vue-router';

/** 预付费 (under 计费): the status board with its drill-down, an account's prepaid panel, the policy, the holiday calendar and the deduction runs. */
export const prepaidRoutes: RouteRecordRaw[] = [
  {
    path: 'prepaid/board',
    name: 'prepaid-board',
    component: () => import('../../views/prepaid/board.vue'),
    meta: { title: 'menu.prepaidBoard', permission: 'billing.read', menu: 'billing', needsTenant: true },
  },
  {
    path: 'prepaid/accounts/:id',
    name: 'prepaid-account',
    component: () => import('../../views/prepaid/account.vue'),
    meta: { title: 'prepaid.panel.title', permission: 'billing.read', needsTenant: true },
  },
  {
    path: 'prepaid/policy',
    name: 'prepaid-policy',
    component: () => import('../../views/prepaid/policy.vue'),
    meta: { title: 'menu.prepaidPolicy', permission: 'billing.read', menu: 'billing', needsTenant: true },
  },
  {
    path: 'prepaid/holidays',
    name: 'prepaid-holidays',
    component: () => import('../../views/prepaid/holidays.vue'),
    meta: { title: 'menu.holidays', permission: 'billing.read', menu: 'billing', needsTenant: true },
  },
  {
    path: 'prepaid/deductions',
    name: 'prepaid-deductions',
    component: () => import('../../views/prepaid/deductions.vue'),
    meta: { title: 'menu.prepaidDeductions', permission: 'billing.read', menu: 'billing', needsTenant: true },
  },
];
