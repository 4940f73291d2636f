import type { RouteRecordRaw } from 'vue-router';

/** Device archives and archive tools: gateways, topology, meter groups, custom fields, imports. */
export const archivesOpsRoutes: RouteRecordRaw[] = [
  {
    path: 'concentrators',
    name: 'concentrators',
    component: () => import('../../views/concentrators/index.vue'),
    meta: { title: 'menu.concentrators', permission: 'meters.read', menu: 'devices', needsTenant: true },
  },

  {
    path: 'collectors',
    name: 'collectors',
    component: () => import('../../views/collectors/index.vue'),
    meta: { title: 'menu.collectors', permission: 'meters.read', menu: 'devices', needsTenant: true },
  },
  {
    path: 'topology',
    name: 'topology',
    component: () => import('../../views/topology/index.vue'),
    meta: { title: 'menu.topology', permission: 'meters.read', menu: 'devices', needsTenant: true },
  },
  {
    path: 'meter-groups',
    name: 'meter-groups',
    component: () => import('../../views/meter-groups/index.vue'),
    meta: { title: 'menu.meterGroups', permission: 'meters.read', menu: 'devices', needsTenant: true },
  },
  {
    path: 'custom-fields',
    name: 'custom-fields',
    component: () => import('../../views/custom-fields/index.vue'),
    meta: {
      title: 'menu.customFields',
      permission: 'customers.read',
      menu: 'archiveTools',
      needsTenant: true,
    },
  },
  {
    path: 'imports',
    name: 'imports',
    component: () => import('../../views/imports/index.vue'),
    meta: { title: 'menu.imports', permission: 'archives.import', menu: 'archiveTools', needsTenant: true },
  },
];
