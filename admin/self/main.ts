import { createApp } from 'vue';
import App from './App.vue';
import './self.css';

createApp(App).mount('#app');
