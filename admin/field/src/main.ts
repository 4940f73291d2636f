import { createApp } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import App from './App.vue';
import { restore, session } from './api.ts';
import { startSync } from './queue.ts';
import './style.css';
import Login from './views/Login.vue';
import Meter from './views/Meter.vue';
import Work from './views/Work.vue';

const router = createRouter({
  history: createWebHistory('/field/'),
  routes: [
    { path: '/', name: 'work', component: Work },
    { path: '/login', name: 'login', component: Login },
    { path: '/meters/:id', name: 'meter', component: Meter, props: true },
  ],
});

let checked = false;
router.beforeEach(async (to) => {
  if (!checked) {
    checked = true;
    await restore();
  }
  if (to.name !== 'login' && !session.user) return { name: 'login', query: { redirect: to.fullPath } };
});

createApp(App).use(router).mount('#app');
startSync();
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/field/sw.js', { scope: '/field/' });
