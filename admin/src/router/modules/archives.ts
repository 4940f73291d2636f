import type { RouteRecordRaw } from 'vue-router';

/** The archives (档案): customers with their accounts, and meters; lists show in the side menu. */
export const archiveRoutes: RouteRecordRaw[] = [
  {
    path: 'customers',
    name: 'customers',
    component: () => import('../../views/customers/index.vue'),
    meta: { title: 'menu.customers', permission: 'customers.read', menu: 'archives', needsTenant: true },
  },
  {
    path: 'customers/:id',
    name: 'customer-detail',
    component: () => import('../../views/customers/detail.vue'),
    meta: { title: 'customers.detail', permission: 'customers.read', needsTenant: true },
  },
  {
    path: 'self-settings',
    name: 'self-settings',
    component: () => import('../../views/self-settings/index.vue'),
    meta: { title: 'menu.selfSettings', permission: 'customers.write', menu: 'archives', needsTenant: true },
  },
  {
    path: 'meters',
    name: 'meters',
    component: () => import('../../views/meters/index.vue'),
    meta: { title: 'menu.meters', permission: 'meters.read', menu: 'archives', needsTenant: true },
  },
  {
    path: 'meters/:id',
    name: 'meter-detail',
    component: () => import('../../views/meters/detail.vue'),
    meta: { title: 'meters.detail', permission: 'meters.read', needsTenant: true },
  },
];
