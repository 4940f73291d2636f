import type { RouteRecordRaw } from 'vue-router';
import { tariffRoutes } from './billing-tariffs.ts';

/** 计费 / Billing: tariffs (h-tstore); other billing pages add their own route files here. */
export const billingRoutes: RouteRecordRaw[] = [...tariffRoutes];
