import type { RouteRecordRaw } from 'vue-router';

/** 单据模板: the document template designer (source, field palette, live preview, versions). */
export const documentRoutes: RouteRecordRaw[] = [
  {
    path: 'documents/templates',
    name: 'document-templates',
    component: () => import('../../views/documents/templates.vue'),
    meta: {
      title: 'menu.documentTemplates',
      permission: 'documents.read',
      menu: 'payments',
      needsTenant: true,
    },
  },
];
