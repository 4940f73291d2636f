import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlRows, controlWorld } from './control-fixtures.ts';
import type { ReadingWorld } from './reading-fixtures.ts';

let w: ReadingWorld;
beforeAll(async () => {
  w = await controlWorld();
});
afterAll(async () => w?.p.stop());

describe('control routes refuse bad input and write nothing', () => {
  it('answers REQ_VALIDATION for wrong types, NUL bytes, huge values and empty bodies', async () => {
    const before = await controlRows(w);
    const m = `/api/v1/meters/${w.metersA[0]}/commands`;
    const bad = [
      w.admin.post(m, {}),
      w.admin.post(m, { action: 'explode', reason: 'x' }),
      w.admin.post(m, { action: 'relay-trip' }),
      w.admin.post(m, { action: 'relay-trip', reason: '' }),
      w.admin.post(m, { action: 'relay-trip', reason: 'a\u0000b' }),
      w.admin.post(m, { action: 'relay-trip', reason: 'x'.repeat(201) }),
      w.admin.post(m, { action: 'relay-trip', reason: 'x', priority: 10 }),
      w.admin.post(m, { action: 'relay-trip', reason: 'x', priority: '1' }),
      w.admin.post(m, { action: 'relay-trip', reason: 'x', expiresInMinutes: 1e12 }),
      w.admin.post(m, { action: 'relay-trip', reason: 'x', override: 'yes' }),
      w.admin.post(m, { action: 'relay-trip', reason: 'x', extra: 1 }),
      w.admin.post(m, { action: 'prepaid-params', reason: 'x' }),
      w.admin.post(m, { action: 'prepaid-params', reason: 'x', params: { alarm1: 1.5 } }),
      w.admin.post(m, { action: 'prepaid-params', reason: 'x', params: { alarm1: 100_000_000 } }),
      w.admin.post(m, { action: 'relay-trip', reason: 'x', params: { password: '02\u0000' } }),
      w.admin.post(m, { action: 'relay-trip', reason: 'x', idempotencyKey: 'k'.repeat(101) }),
      w.admin.post('/api/v1/meters/not-a-uuid/commands', { action: 'relay-trip', reason: 'x' }),
      w.admin.post('/api/v1/command-batches', {}),
      w.admin.post('/api/v1/command-batches', {
        target: 'meters',
        meterIds: [],
        action: 'relay-trip',
        reason: 'x',
      }),
      w.admin.post('/api/v1/command-batches', {
        target: 'meters',
        meterIds: ['x'],
        action: 'relay-trip',
        reason: 'x',
      }),
      w.admin.post('/api/v1/command-batches', { target: 'area', areaId: w.areaA, action: 'relay-trip' }),
      w.admin.post('/api/v1/command-batches/preview', { target: 'planet', action: 'relay-trip' }),
      w.admin.put('/api/v1/control-settings', {}),
      w.admin.put('/api/v1/control-settings', { approvalThreshold: -1, expiryMinutes: 60, maxAttempts: 3 }),
      w.admin.put('/api/v1/control-settings', { approvalThreshold: 1, expiryMinutes: 60, maxAttempts: 99 }),
      w.admin.get('/api/v1/commands?status=lost'),
      w.admin.get('/api/v1/commands?limit=100000'),
      w.admin.get('/api/v1/commands?meterId=x'),
    ];
    for (const r of await Promise.all(bad)) {
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    const cursor = await w.admin.get('/api/v1/commands?after=%00');
    expect(cursor.status).toBe(400);
    expect(await controlRows(w)).toEqual(before);
  });

  it('refuses actions a meter does not take and meters not installed, writing nothing', async () => {
    const before = await controlRows(w);
    const valve = await w.admin.post(`/api/v1/meters/${w.metersA[0]}/commands`, {
      action: 'valve-close',
      reason: 'x',
    });
    expect(valve.status).toBe(422);
    expect(valve.body.error.code).toBe('CONTROL_ACTION_UNSUPPORTED');
    const empty = await w.admin.post('/api/v1/command-batches', {
      target: 'area',
      areaId: w.areaA,
      action: 'valve-close',
      reason: 'x',
    });
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('CONTROL_BATCH_EMPTY');
    const none = await w.admin.post(`/api/v1/meters/${crypto.randomUUID()}/commands`, {
      action: 'alarm-on',
      reason: 'x',
    });
    expect(none.body.error.code).toBe('RESOURCE_NOT_FOUND');
    expect(await controlRows(w)).toEqual(before);
  });

  it('answers the first command again for a repeated idempotency key', async () => {
    const body = { action: 'alarm-on', reason: 'x', idempotencyKey: 'once-1' };
    const a = await w.admin.post(`/api/v1/meters/${w.metersA[1]}/commands`, body);
    const b = await w.admin.post(`/api/v1/meters/${w.metersA[1]}/commands`, body);
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
  });
});
