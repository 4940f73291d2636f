import type { RouteRecordRaw } from 'vue-router';

/** 异常诊断: the exception queue of the VEE rules. */
export const analysisRoutes: RouteRecordRaw[] = [
  {
    path: 'anomalies',
    name: 'anomalies',
    component: () => import('../../views/anomalies/index.vue'),
    meta: { title: 'menu.anomalies', permission: 'analysis.read', menu: 'analysis', needsTenant: true },
  },
];
