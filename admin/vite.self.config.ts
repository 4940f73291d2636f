import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// The customer self-service H5 (decision 0037): its own tiny bundle (Vue only, no Element Plus,
// no ECharts, none of the admin's code), served by the platform at /my/.
const api = process.env.QUADMETER_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('./self', import.meta.url)),
  base: '/my/',
  plugins: [vue()],
  server: { port: 5174, proxy: { '/api': { target: api, changeOrigin: false } } },
  build: {
    outDir: fileURLToPath(new URL('./dist-self', import.meta.url)),
    emptyOutDir: true,
    // the budget (under 150 KB compressed) is asserted by admin/e2e/self-budget.test.ts
    chunkSizeWarningLimit: 200,
  },
});
