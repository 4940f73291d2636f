import type { RouteRecordRaw } from 'vue-router';

/** 统计分析: the exception queue of the VEE rules and the statistics pages. */
export const analysisRoutes: RouteRecordRaw[] = [
  {
    path: 'anomalies',
    name: 'anomalies',
    component: () => import('../../views/anomalies/index.vue'),
    meta: { title: 'menu.anomalies', permission: 'analysis.read', menu: 'analysis', needsTenant: true },
  },
  {
    path: 'statistics',
    name: 'statistics',
    component: () => import('../../views/statistics/index.vue'),
    meta: { title: 'menu.statistics', permission: 'reports.read', menu: 'analysis', needsTenant: true },
  },
];
