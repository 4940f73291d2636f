import type { RouteRecordRaw } from 'vue-router';

/** System administration pages; each shows in the side menu under "system" when permitted. */
export const systemRoutes: RouteRecordRaw[] = [
  {
    path: 'tenants',
    name: 'tenants',
    component: () => import('../../views/tenants/index.vue'),
    meta: { title: 'menu.tenants', permission: 'tenants.manage', menu: 'system' },
  },
  {
    path: 'users',
    name: 'users',
    component: () => import('../../views/users/index.vue'),
    meta: { title: 'menu.users', permission: 'users.read', menu: 'system', needsTenant: true },
  },
  {
    path: 'roles',
    name: 'roles',
    component: () => import('../../views/roles/index.vue'),
    meta: { title: 'menu.roles', permission: 'roles.read', menu: 'system', needsTenant: true },
  },
  {
    path: 'areas',
    name: 'areas',
    component: () => import('../../views/areas/index.vue'),
    meta: { title: 'menu.areas', permission: 'areas.read', menu: 'system', needsTenant: true },
  },
  {
    path: 'audit',
    name: 'audit',
    component: () => import('../../views/audit/index.vue'),
    meta: { title: 'menu.audit', permission: 'audit.read', menu: 'system' },
  },
  {
    path: 'plugins',
    name: 'plugins',
    component: () => import('../../views/plugins/index.vue'),
    meta: { title: 'menu.plugins', permission: 'plugins.read', menu: 'system', needsTenant: true },
  },
];
