import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { i18n } from '../i18n/index.ts';
import MainLayout from '../layouts/main-layout.vue';
import { sessionGuard } from './guard.ts';
import './meta.ts';
import { menuRoutes } from './menu.ts';

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('../views/login/index.vue'),
    meta: { public: true, title: 'auth.title' },
  },
  {
    path: '/',
    component: MainLayout,
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('../views/home/index.vue'),
        meta: { title: 'menu.home' },
      },
      ...menuRoutes,
      {
        path: '403',
        name: 'forbidden',
        component: () => import('../views/error/forbidden.vue'),
        meta: { title: 'errorPage.forbidden' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('../views/error/not-found.vue'),
        meta: { title: 'errorPage.notFound' },
      },
    ],
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(sessionGuard);

router.afterEach((to) => {
  const title = to.meta.title ? i18n.global.t(to.meta.title) : '';
  document.title = title ? `${title} · Quadmeter` : 'Quadmeter';
});
