import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// The server serves dist/ at `/` with an SPA fallback; in development the dev server forwards the
// API (same origin in production) to a locally running platform.
const api = process.env.QUADMETER_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [vue()],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/hooks': { target: api, changeOrigin: false },
      '/healthz': { target: api },
      '/readyz': { target: api },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
