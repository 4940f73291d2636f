import type { RouteRecordRaw } from 'vue-router';

/** Remote control: the console, the command history, batches and their approval, the settings. */
export const controlRoutes: RouteRecordRaw[] = [
  {
    path: 'control',
    name: 'control-console',
    component: () => import('../../views/control/index.vue'),
    meta: { title: 'menu.controlConsole', permission: 'meters.control', menu: 'control', needsTenant: true },
  },
  {
    path: 'control/commands',
    name: 'control-commands',
    component: () => import('../../views/control/commands.vue'),
    meta: { title: 'menu.controlCommands', permission: 'meters.read', menu: 'control', needsTenant: true },
  },
  {
    path: 'control/batches',
    name: 'control-batches',
    component: () => import('../../views/control/batches.vue'),
    meta: { title: 'menu.controlBatches', permission: 'meters.read', menu: 'control', needsTenant: true },
  },
  {
    path: 'control/approvals',
    name: 'control-approvals',
    component: () => import('../../views/control/approvals.vue'),
    meta: {
      title: 'menu.controlApprovals',
      permission: 'meters.control.approve',
      menu: 'control',
      needsTenant: true,
    },
  },
  {
    path: 'control/settings',
    name: 'control-settings',
    component: () => import('../../views/control/settings.vue'),
    meta: {
      title: 'menu.controlSettings',
      permission: 'meters.control.approve',
      menu: 'control',
      needsTenant: true,
    },
  },
  {
    path: 'control/batches/:id',
    name: 'control-batch',
    component: () => import('../../views/control/batch.vue'),
    meta: { title: 'control.batch.title', permission: 'meters.read', needsTenant: true },
  },
];
