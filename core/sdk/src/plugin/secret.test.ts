import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isSecret, keepSecrets, mapSecrets, redact, secret, secretPaths } from './secret.ts';

const schema = z.object({
  appId: z.string(),
  apiKey: secret(z.string()),
  cert: secret(z.string()).optional(),
  described: secret(z.string()).describe('merchant key'),
  nested: z.object({ password: secret(z.string()).default('x'), host: z.string() }),
  accounts: z.array(z.object({ name: z.string(), token: secret(z.string()) })),
});

describe('secret', () => {
  it('marks the schema and survives wrappers and describe()', () => {
    const shape = schema.shape;
    expect(isSecret(shape.apiKey)).toBe(true);
    expect(isSecret(shape.cert)).toBe(true);
    expect(isSecret(shape.described)).toBe(true);
    expect(isSecret(shape.appId)).toBe(false);
  });

  it('lists the secret paths', () => {
    expect(secretPaths(schema)).toEqual([
      'apiKey',
      'cert',
      'described',
      'nested.password',
      'accounts.[].token',
    ]);
  });

  it('redacts secrets and keeps everything else', () => {
    const value = schema.parse({
      appId: 'wx1',
      apiKey: 'k1',
      described: 'd',
      nested: { host: 'h' },
      accounts: [{ name: 'a', token: 't' }],
    });
    expect(redact(schema, value)).toEqual({
      appId: 'wx1',
      apiKey: '[redacted]',
      described: '[redacted]',
      nested: { password: '[redacted]', host: 'h' },
      accounts: [{ name: 'a', token: '[redacted]' }],
    });
    expect(value.apiKey).toBe('k1');
  });

  it('shows secrets as writeOnly in the JSON Schema', () => {
    const json = z.toJSONSchema(schema) as { properties: Record<string, { writeOnly?: boolean }> };
    expect(json.properties.apiKey.writeOnly).toBe(true);
    expect(json.properties.appId.writeOnly).toBeUndefined();
  });

  it('maps only the secret fields that are present', () => {
    const value = {
      appId: 'wx1',
      apiKey: 'k1',
      nested: { host: 'h' },
      accounts: [{ name: 'a', token: 't' }],
    };
    expect(mapSecrets(schema, value, (v) => `<${String(v)}>`)).toEqual({
      appId: 'wx1',
      apiKey: '<k1>',
      nested: { host: 'h' },
      accounts: [{ name: 'a', token: '<t>' }],
    });
  });

  it('keeps stored secrets the submission leaves absent, empty or redacted', () => {
    const stored = {
      appId: 'old',
      apiKey: 'k1',
      cert: 'c1',
      described: 'd1',
      nested: { password: 'p1', host: 'h' },
      accounts: [{ name: 'a', token: 't1' }],
    };
    const submitted = {
      appId: 'new',
      apiKey: '',
      described: 'd2',
      nested: { password: '[redacted]', host: 'h2' },
      accounts: [
        { name: 'a', token: '' },
        { name: 'b', token: 't2' },
      ],
    };
    expect(keepSecrets(schema, submitted, stored)).toEqual({
      appId: 'new',
      apiKey: 'k1',
      cert: 'c1',
      described: 'd2',
      nested: { password: 'p1', host: 'h2' },
      accounts: [
        { name: 'a', token: 't1' },
        { name: 'b', token: 't2' },
      ],
    });
    expect(keepSecrets(schema, { appId: 'x', apiKey: '' }, {})).toEqual({ appId: 'x' });
    // null is a change (clears a nullable secret), not a request to keep it
    expect(keepSecrets(schema, { appId: 'x', apiKey: null }, { apiKey: 'k1' })).toEqual({
      appId: 'x',
      apiKey: null,
    });
  });
});
