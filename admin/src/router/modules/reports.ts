import type { RouteRecordRaw } from 'vue-router';

/** 报表查询打印: the report center with its layout designer. */
export const reportRoutes: RouteRecordRaw[] = [
  {
    path: 'reports',
    name: 'reports',
    component: () => import('../../views/reports/index.vue'),
    meta: { title: 'menu.reportCenter', permission: 'reports.read', menu: 'reports', needsTenant: true },
  },
];
