import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// The field staff's app (抄表APP): its own small bundle, built to admin/field/dist and served by the
// platform under /field/ (core/server/src/http/static-admin.ts). public/ holds the manifest and the
// service worker, copied as they are.
const api = process.env.QUADMETER_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/field/',
  plugins: [vue()],
  server: { port: 5174, proxy: { '/api': { target: api, changeOrigin: false } } },
  build: { outDir: 'dist', emptyOutDir: true },
});
