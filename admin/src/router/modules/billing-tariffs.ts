import type { RouteRecordRaw } from 'vue-router';

/** 价格方案: the plan list, one plan with its versions, and the version designer. */
export const tariffRoutes: RouteRecordRaw[] = [
  {
    path: 'tariffs',
    name: 'tariffs',
    component: () => import('../../views/tariffs/index.vue'),
    meta: { title: 'menu.tariffs', permission: 'billing.read', menu: 'billing', needsTenant: true },
  },
  {
    path: 'tariffs/:id',
    name: 'tariff-plan',
    component: () => import('../../views/tariffs/plan.vue'),
    meta: { title: 'tariffs.plan', permission: 'billing.read', needsTenant: true },
  },
  {
    path: 'tariffs/:id/versions/:vid',
    name: 'tariff-designer',
    component: () => import('../../views/tariffs/designer.vue'),
    meta: { title: 'tariffs.designer', permission: 'billing.read', needsTenant: true },
  },
];
