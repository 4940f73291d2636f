import type { RouteRecordRaw } from 'vue-router';

/** 通知管理: notice templates with a live preview, the delivery log and the notify settings. */
export const notifyRoutes: RouteRecordRaw[] = [
  {
    path: 'notify/templates',
    name: 'notify-templates',
    component: () => import('../../views/notify/templates.vue'),
    meta: { title: 'menu.notifyTemplates', permission: 'notify.read', menu: 'notify', needsTenant: true },
  },
  {
    path: 'notify/deliveries',
    name: 'notify-deliveries',
    component: () => import('../../views/notify/deliveries.vue'),
    meta: { title: 'menu.notifyDeliveries', permission: 'notify.read', menu: 'notify', needsTenant: true },
  },
  {
    path: 'notify/settings',
    name: 'notify-settings',
    component: () => import('../../views/notify/settings.vue'),
    meta: { title: 'menu.notifySettings', permission: 'notify.manage', menu: 'notify', needsTenant: true },
  },
];
