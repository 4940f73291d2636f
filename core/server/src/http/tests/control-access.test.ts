import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { userWith } from './archive-fixtures.ts';
import { controlRows, controlWorld } from './control-fixtures.ts';
import type { ReadingWorld } from './reading-fixtures.ts';

let w: ReadingWorld;
let cmdA: string;
let scoped: Client;
let operator: Client;
let approver: Client;
let viewer: Client;
const trip = { action: 'relay-trip', reason: '欠费停电' };

beforeAll(async () => {
  w = await controlWorld();
  const r = await w.admin.post(`/api/v1/meters/${w.metersA[0]}/commands`, {
    action: 'alarm-on',
    reason: 'test',
  });
  expect(r.status).toBe(201);
  cmdA = r.body.id;
  scoped = await userWith(w.p, w.admin, 'ctl-a', ['meters.read', 'meters.control'], [w.areaA]);
  operator = await userWith(w.p, w.admin, 'ctl-op', ['meters.read', 'meters.control']);
  approver = await userWith(w.p, w.admin, 'ctl-ap', [
    'meters.read',
    'meters.control',
    'meters.control.approve',
  ]);
  viewer = await userWith(w.p, w.admin, 'ctl-view', ['meters.read']);
});
afterAll(async () => w?.p.stop());

describe('control routes across tenants', () => {
  it('answer 404 for another tenant’s meters, commands and batches, and change nothing', async () => {
    const batch = await w.admin.post('/api/v1/command-batches', {
      target: 'meters',
      meterIds: [w.metersA[1]],
      action: 'alarm-off',
      reason: 'x',
    });
    expect(batch.status).toBe(201);
    const before = await controlRows(w);
    const probes = [
      w.other.post(`/api/v1/meters/${w.metersA[0]}/commands`, trip),
      w.other.get(`/api/v1/meters/${w.metersA[0]}/commands`),
      w.other.get(`/api/v1/commands/${cmdA}`),
      w.other.post(`/api/v1/commands/${cmdA}/cancel`, {}),
      w.other.get(`/api/v1/command-batches/${batch.body.id}`),
      w.other.post(`/api/v1/command-batches/${batch.body.id}/approve`, {}),
      w.other.post('/api/v1/command-batches', { target: 'meters', meterIds: [w.metersA[0]], ...trip }),
      w.other.post('/api/v1/command-batches', { target: 'area', areaId: w.areaA, ...trip }),
    ];
    for (const r of await Promise.all(probes)) {
      expect(r.status).toBe(404);
      expect(['RESOURCE_NOT_FOUND', 'AREA_OUT_OF_SCOPE']).toContain(r.body.error.code);
    }
    expect((await w.other.get('/api/v1/commands')).body.items).toEqual([]);
    expect((await w.other.get('/api/v1/command-batches')).body.items).toEqual([]);
    expect(await controlRows(w)).toEqual(before);
  });
});

describe('control routes within a user’s areas', () => {
  it('refuse meters and areas outside them and hide their commands', async () => {
    const before = await controlRows(w);
    const one = await scoped.post(`/api/v1/meters/${w.metersB[0]}/commands`, trip);
    expect(one.body.error).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    const batch = await scoped.post('/api/v1/command-batches', {
      target: 'meters',
      meterIds: [w.metersA[0], w.metersB[0]],
      ...trip,
    });
    expect(batch.body.error).toMatchObject({ code: 'RESOURCE_NOT_FOUND', details: { ids: [w.metersB[0]] } });
    const area = await scoped.post('/api/v1/command-batches/preview', {
      target: 'area',
      areaId: w.areaB,
      action: 'relay-trip',
    });
    expect(area.body.error).toMatchObject({ code: 'AREA_OUT_OF_SCOPE' });
    expect(await controlRows(w)).toEqual(before);
    const bCmd = await w.admin.post(`/api/v1/meters/${w.metersB[0]}/commands`, {
      action: 'alarm-on',
      reason: 'b',
    });
    expect((await scoped.get(`/api/v1/commands/${bCmd.body.id}`)).status).toBe(404);
    const list = (await scoped.get('/api/v1/commands')).body.items.map((c: { id: string }) => c.id);
    expect(list).toContain(cmdA);
    expect(list).not.toContain(bCmd.body.id);
    const own = await scoped.post(`/api/v1/meters/${w.metersA[1]}/commands`, {
      action: 'alarm-off',
      reason: 'a',
    });
    expect(own.status).toBe(201);
  });
});

describe('control privileges', () => {
  it('a viewer cannot send; an operator cannot override keep-power nor approve nor change the policy', async () => {
    const before = await controlRows(w);
    const send = await viewer.post(`/api/v1/meters/${w.metersA[0]}/commands`, trip);
    expect(send.body.error).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    expect((await viewer.post(`/api/v1/commands/${cmdA}/cancel`, {})).body.error.code).toBe('AUTH_FORBIDDEN');
    const over = await operator.post(`/api/v1/meters/${w.metersA[0]}/commands`, { ...trip, override: true });
    expect(over.body.error).toMatchObject({
      code: 'AUTH_FORBIDDEN',
      details: { permission: 'meters.control.override' },
    });
    const put = await operator.put('/api/v1/control-settings', {
      approvalThreshold: 0,
      expiryMinutes: 60,
      maxAttempts: 1,
    });
    expect(put.body.error.code).toBe('AUTH_FORBIDDEN');
    expect(await controlRows(w)).toEqual(before);
  });

  it('keep-power refuses a cut; the admin (override permission) may override', async () => {
    const { inDemo } = await import('./archive-fixtures.ts');
    const { sql } = await import('drizzle-orm');
    await inDemo(w.p, (tx) =>
      tx.execute(sql`update meters set keep_power = true where id = ${w.metersA[0]}`),
    );
    const refused = await operator.post(`/api/v1/meters/${w.metersA[0]}/commands`, trip);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CONTROL_KEEP_POWER');
    const preview = await operator.post('/api/v1/command-batches/preview', {
      target: 'area',
      areaId: w.areaA,
      action: 'relay-trip',
    });
    expect(preview.body).toMatchObject({ meters: 1, keepPower: 1 });
    const forced = await w.admin.post(`/api/v1/meters/${w.metersA[0]}/commands`, { ...trip, override: true });
    expect(forced.status).toBe(201);
    expect(forced.body).toMatchObject({ override: true, action: 'relay-trip' });
    await inDemo(w.p, (tx) =>
      tx.execute(sql`update meters set keep_power = false where id = ${w.metersA[0]}`),
    );
  });

  it('a batch cut above the threshold waits for a second person; the requester cannot approve it', async () => {
    const set = await w.admin.put('/api/v1/control-settings', {
      approvalThreshold: 2,
      expiryMinutes: 60,
      maxAttempts: 2,
    });
    expect(set.body).toEqual({ approvalThreshold: 2, expiryMinutes: 60, maxAttempts: 2 });
    const preview = await operator.post('/api/v1/command-batches/preview', {
      target: 'area',
      areaId: w.root,
      action: 'relay-trip',
    });
    expect(preview.body).toMatchObject({ meters: 4, customers: 0, needsApproval: true, threshold: 2 });
    const made = await operator.post('/api/v1/command-batches', { target: 'area', areaId: w.root, ...trip });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ status: 'pending_approval', meterCount: 4 });
    expect(made.body.progress.queued).toBe(0);
    const self = await operator.post(`/api/v1/command-batches/${made.body.id}/approve`, {});
    expect(self.body.error.code).toBe('AUTH_FORBIDDEN');
    const pending = await approver.get('/api/v1/command-batches?status=pending_approval');
    expect(pending.body.items.map((b: { id: string }) => b.id)).toContain(made.body.id);
    const ok = await approver.post(`/api/v1/command-batches/${made.body.id}/approve`, { note: '同意' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'released', decidedByName: 'ctl-ap', decisionNote: '同意' });
    const cmds = await w.admin.get(`/api/v1/commands?batchId=${made.body.id}`);
    expect(cmds.body.items).toHaveLength(4);
    const again = await approver.post(`/api/v1/command-batches/${made.body.id}/approve`, {});
    expect(again.body.error.code).toBe('CONTROL_BATCH_NOT_PENDING');
    // an approver cannot approve a batch of their own either
    const mine = await approver.post('/api/v1/command-batches', { target: 'area', areaId: w.root, ...trip });
    expect(mine.body.status).toBe('pending_approval');
    const selfApprove = await approver.post(`/api/v1/command-batches/${mine.body.id}/approve`, {});
    expect(selfApprove.body.error.code).toBe('CONTROL_SELF_APPROVAL');
    const withdrawn = await approver.post(`/api/v1/command-batches/${mine.body.id}/cancel`, {});
    expect(withdrawn.body.status).toBe('cancelled');
    // below the threshold, or not a cut: released at once
    const small = await operator.post('/api/v1/command-batches', {
      target: 'meters',
      meterIds: [w.metersB[1]],
      ...trip,
    });
    expect(small.body.status).toBe('released');
  });

  it('cancels a queued command once; a sent or finished one is not cancellable', async () => {
    const c = await w.admin.get(`/api/v1/commands/${cmdA}`);
    const r = await operator.post(`/api/v1/commands/${cmdA}/cancel`, {});
    if (c.body.status === 'queued') expect(r.body.status).toBe('cancelled');
    const again = await operator.post(`/api/v1/commands/${cmdA}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONTROL_NOT_CANCELLABLE');
  });
});
