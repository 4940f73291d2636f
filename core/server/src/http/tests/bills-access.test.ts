import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { userWith } from './archive-fixtures.ts';
import { type BillWorld, billRows, billWorld } from './bills-fixtures.ts';
import { download, sheetRows } from './import-fixtures.ts';

let w: BillWorld;
let scopedA: Client;
let reader: Client;
let runner: Client;
let adjuster: Client;

beforeAll(async () => {
  w = await billWorld();
  scopedA = await userWith(
    w.p,
    w.admin,
    'bill-a',
    ['billing.read', 'billing.run', 'billing.adjust'],
    [w.areaA],
  );
  reader = await userWith(w.p, w.admin, 'bill-read', ['billing.read']);
  runner = await userWith(w.p, w.admin, 'bill-run', ['billing.read', 'billing.run']);
  adjuster = await userWith(w.p, w.admin, 'bill-adj', ['billing.read', 'billing.adjust']);
});
afterAll(async () => w?.p.stop());

/** Every bill route against `bill`, as `c`. */
const probes = (c: Client, bill: string) => [
  c.get(`/api/v1/bills/${bill}`),
  c.post(`/api/v1/bills/${bill}/approve`, {}),
  c.post('/api/v1/bills/approve', { ids: [bill] }),
  c.post(`/api/v1/bills/${bill}/cancel`, { reason: 'x' }),
  c.post(`/api/v1/bills/${bill}/rebill`, { reason: 'x' }),
  c.post(`/api/v1/bills/${bill}/adjustments`, { amountFen: 100, reason: 'x' }),
];

describe('bills across tenants', () => {
  it('answer 404 for another tenant’s bills, list none of them, and change nothing', async () => {
    const before = await billRows(w);
    for (const bill of [w.issuedA.bill, w.heldA.bill])
      for (const r of await Promise.all(probes(w.other, bill))) {
        expect(r.status).toBe(404);
        expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
      }
    const list = await w.other.get('/api/v1/bills');
    expect(list.body).toMatchObject({ items: [], total: 0 });
    expect((await w.other.get(`/api/v1/bills?accountId=${w.issuedA.account}`)).body.items).toEqual([]);
    const sheet = await download(w.other, '/api/v1/bills/export.xlsx');
    expect(sheet.status).toBe(200);
    expect((await sheetRows(sheet.bytes)).length).toBe(1);
    expect(await billRows(w)).toEqual(before);
  });
});

describe('bills within a user’s areas', () => {
  it('hide and refuse the bills of other areas; act on their own', async () => {
    const before = await billRows(w);
    for (const bill of [w.issuedB.bill, w.heldB.bill])
      for (const r of await Promise.all(probes(scopedA, bill))) {
        expect(r.status).toBe(404);
        expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
      }
    const mixed = await scopedA.post('/api/v1/bills/approve', { ids: [w.heldA.bill, w.heldB.bill] });
    expect(mixed.body.error).toMatchObject({ code: 'RESOURCE_NOT_FOUND', details: { ids: [w.heldB.bill] } });
    const list = await scopedA.get('/api/v1/bills');
    expect(list.body.items.map((b: { id: string }) => b.id).sort()).toEqual(
      [w.issuedA.bill, w.heldA.bill].sort(),
    );
    expect((await scopedA.get(`/api/v1/bills?areaId=${w.areaB}`)).body.items).toEqual([]);
    const rows = await sheetRows((await download(scopedA, '/api/v1/bills/export.xlsx')).bytes);
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['CBA1', 'CBA2']);
    expect(await billRows(w)).toEqual(before);
    const own = await scopedA.post(`/api/v1/bills/${w.heldA.bill}/approve`, {});
    expect(own.status).toBe(200);
    const [audit] = await w.p.running.platform.database.sql`
      select action, area_path::text[] as path from audit_log where target_id = ${w.heldA.bill}`;
    expect(audit.action).toBe('bills.approve');
    expect(audit.path).toContain(w.areaA);
    const listed = (await w.admin.get('/api/v1/audit?action=bills.approve')).body.items;
    expect(listed.map((e: { targetName: string }) => e.targetName)).toEqual(['CBA2 2026-10']);
  });
});

describe('bill privileges', () => {
  it('billing.read views only; billing.run approves but cannot cancel, re-bill or adjust', async () => {
    const before = await billRows(w);
    for (const r of (await Promise.all(probes(reader, w.heldB.bill))).slice(1)) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('AUTH_FORBIDDEN');
    }
    expect((await reader.get(`/api/v1/bills/${w.heldB.bill}`)).status).toBe(200);
    for (const r of (await Promise.all(probes(runner, w.issuedB.bill))).slice(3)) {
      expect(r.status).toBe(403);
      expect(r.body.error).toMatchObject({
        code: 'AUTH_FORBIDDEN',
        details: { permission: 'billing.adjust' },
      });
    }
    const approve = await adjuster.post(`/api/v1/bills/${w.heldB.bill}/approve`, {});
    expect(approve.body.error).toMatchObject({
      code: 'AUTH_FORBIDDEN',
      details: { permission: 'billing.run' },
    });
    expect(await billRows(w)).toEqual(before);
    const noRead = await userWith(w.p, w.admin, 'bill-none', ['customers.read']);
    expect((await noRead.get('/api/v1/bills')).body.error.code).toBe('AUTH_FORBIDDEN');
    expect((await noRead.get('/api/v1/bills/export.xlsx')).body.error.code).toBe('AUTH_FORBIDDEN');
  });

  it('billing.adjust cancels; billing.run approves', async () => {
    expect((await runner.post(`/api/v1/bills/${w.heldB.bill}/approve`, {})).status).toBe(200);
    const r = await adjuster.post(`/api/v1/bills/${w.issuedB.bill}/cancel`, { reason: '重复出账' });
    expect(r.status).toBe(200);
  });
});
