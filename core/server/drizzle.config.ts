import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './core/server/src/db/schema/index.ts',
  out: './migrations',
});
