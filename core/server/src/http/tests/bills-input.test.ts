import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BillWorld, billRows, billWorld } from './bills-fixtures.ts';

let w: BillWorld;

beforeAll(async () => {
  w = await billWorld();
});
afterAll(async () => w?.p.stop());

async function refused(
  r: Promise<{ status: number; body: { error: { code: string } } }>,
  code: string,
  status = 400,
) {
  const res = await r;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
}

describe('bill routes refuse bad input with stable codes and write nothing', () => {
  it('list queries and ids', async () => {
    const a = w.admin;
    for (const q of [
      'status=paid',
      'limit=0',
      'limit=100000',
      'limit=abc',
      'period=2026-13-01',
      'period=yesterday',
      'areaId=not-a-uuid',
      'accountId=1',
      'customerNumber=%00',
      `customerNumber=${'x'.repeat(41)}`,
      'heldOnly=yes',
    ])
      await refused(a.get(`/api/v1/bills?${q}`), 'REQ_VALIDATION');
    await refused(a.get('/api/v1/bills?after=%21%21%21'), 'LIST_CURSOR_INVALID');
    await refused(a.get('/api/v1/bills?after=bm90LWEtY3Vyc29y'), 'LIST_CURSOR_INVALID');
    await refused(a.get('/api/v1/bills/not-a-uuid'), 'REQ_VALIDATION');
    await refused(a.get('/api/v1/bills/export.xlsx?lang=fr'), 'REQ_VALIDATION');
    await refused(a.get('/api/v1/bills/export.xlsx?status=paid'), 'REQ_VALIDATION');
    await refused(a.get(`/api/v1/bills/${crypto.randomUUID()}`), 'RESOURCE_NOT_FOUND', 404);
    // unknown query fields are ignored, not an error
    expect((await a.get('/api/v1/bills?colour=blue')).status).toBe(200);
  });

  it('approve, cancel, re-bill and adjust bodies', async () => {
    const before = await billRows(w);
    const a = w.admin;
    const held = w.heldA.bill;
    const issued = w.issuedA.bill;
    for (const body of [
      {},
      { ids: [] },
      { ids: ['x'] },
      { ids: 'abc' },
      { ids: Array.from({ length: 501 }, () => crypto.randomUUID()) },
      { ids: [held], extra: 1 },
    ])
      await refused(a.post('/api/v1/bills/approve', body), 'REQ_VALIDATION');
    await refused(a.request('POST', '/api/v1/bills/approve', '{"ids":'), 'REQ_JSON_MALFORMED');
    await refused(a.post('/api/v1/bills/approve', { ids: [crypto.randomUUID()] }), 'RESOURCE_NOT_FOUND', 404);
    await refused(a.post('/api/v1/bills/not-a-uuid/approve', {}), 'REQ_VALIDATION');
    for (const path of ['cancel', 'rebill'])
      for (const body of [
        {},
        { reason: '' },
        { reason: '   ' },
        { reason: 'a\u0000b' },
        { reason: 'x'.repeat(501) },
        { reason: 7 },
        { reason: 'ok', extra: true },
      ])
        await refused(a.post(`/api/v1/bills/${issued}/${path}`, body), 'REQ_VALIDATION');
    for (const body of [
      {},
      { amountFen: 100 },
      { reason: 'x' },
      { amountFen: 0, reason: 'x' },
      { amountFen: 1.5, reason: 'x' },
      { amountFen: '100', reason: 'x' },
      { amountFen: 100_000_001, reason: 'x' },
      { amountFen: -100_000_001, reason: 'x' },
      { amountFen: 1e300, reason: 'x' },
      { amountFen: 100, reason: 'x\u0000' },
      { amountFen: 100, reason: 'x', bill: held },
    ])
      await refused(a.post(`/api/v1/bills/${issued}/adjustments`, body), 'REQ_VALIDATION');
    await refused(
      a.request('POST', `/api/v1/bills/${issued}/cancel`, 'reason=x', { 'content-type': 'text/plain' }),
      'REQ_UNSUPPORTED_MEDIA',
      415,
    );
    expect(await billRows(w)).toEqual(before);
  });
});
