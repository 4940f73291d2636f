import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { configureHttp } from './api/http.ts';
import { i18n } from './i18n/index.ts';
import { router } from './router/index.ts';
import { useSessionStore } from './stores/session.ts';
import './styles.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n).use(ElementPlus);

const session = useSessionStore(pinia);
configureHttp({
  csrfToken: () => session.csrfToken,
  onUnauthorized: () => {
    session.set(null);
    const current = router.currentRoute.value;
    if (current.name !== 'login') {
      router.replace({
        name: 'login',
        query: current.fullPath === '/' ? {} : { redirect: current.fullPath },
      });
    }
  },
});

app.use(router);
router.isReady().then(() => app.mount('#app'));
