import type { RouteRecordRaw } from 'vue-router';

/** Reading: the console, a task's page, the task history, the schedules and the unmatched uplinks. */
export const readingRoutes: RouteRecordRaw[] = [
  {
    path: 'reading',
    name: 'reading-console',
    component: () => import('../../views/reading/index.vue'),
    meta: { title: 'menu.readingConsole', permission: 'meters.read', menu: 'reading', needsTenant: true },
  },
  {
    path: 'reading/tasks',
    name: 'reading-history',
    component: () => import('../../views/reading/history.vue'),
    meta: { title: 'menu.readingHistory', permission: 'meters.read', menu: 'reading', needsTenant: true },
  },
  {
    path: 'reading/schedules',
    name: 'reading-schedules',
    component: () => import('../../views/reading-schedules/index.vue'),
    meta: { title: 'menu.readingSchedules', permission: 'meters.read', menu: 'reading', needsTenant: true },
  },
  {
    path: 'uplinks',
    name: 'uplinks',
    component: () => import('../../views/uplinks/index.vue'),
    meta: { title: 'menu.uplinks', permission: 'meters.read', menu: 'reading', needsTenant: true },
  },
  {
    path: 'reading/tasks/:id',
    name: 'reading-task',
    component: () => import('../../views/reading/task.vue'),
    meta: { title: 'reading.task.title', permission: 'meters.read', needsTenant: true },
  },
];
