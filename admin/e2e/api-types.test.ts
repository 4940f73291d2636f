import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from '../scripts/api-types.ts';

describe('admin API types', () => {
  it('are exactly what `npm run gen:api` writes from the server’s OpenAPI document today', async () => {
    const fresh = await generateApiTypes();
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    // a stale file means a route schema changed without `npm run gen:api`
    expect(committed === fresh, 'admin/src/api/openapi.ts is stale: run `npm run gen:api`').toBe(true);
    expect(fresh).toContain('"/api/v1/meters": {');
  });
});
