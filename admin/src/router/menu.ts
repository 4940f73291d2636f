import type { RouteRecordRaw } from 'vue-router';
import { analysisRoutes } from './modules/analysis.ts';
import { archiveRoutes } from './modules/archives.ts';
import { archivesOpsRoutes } from './modules/archives-ops.ts';
import { billingRoutes } from './modules/billing.ts';
import { controlRoutes } from './modules/control.ts';
import { documentRoutes } from './modules/documents.ts';
import { notifyRoutes } from './modules/notify.ts';
import { paymentRoutes } from './modules/payments.ts';
import { readingRoutes } from './modules/reading.ts';
import { reportRoutes } from './modules/reports.ts';
import { systemRoutes } from './modules/system.ts';

/** Every page listed in the side menu, in menu order. A new module's routes are added here. */
export const menuRoutes: RouteRecordRaw[] = [
  ...archiveRoutes,
  ...archivesOpsRoutes,
  ...readingRoutes,
  ...controlRoutes,
  ...billingRoutes,
  ...paymentRoutes,
  ...documentRoutes,
  ...reportRoutes,
  ...notifyRoutes,
  ...analysisRoutes,
  ...systemRoutes,
];
