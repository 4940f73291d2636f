import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { type Area, demoAreas, inDemo, otherTenant, userWith } from './archive-fixtures.ts';
import { documentCounts, pay, runWithBills } from './document-fixtures.ts';
import { customerWithAccount } from './payment-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let b: Client;
let areas: Record<string, Area>;
const a: Record<string, string> = {};
const bIds: Record<string, string> = {};
const good = '<html><body><p>{{document.number}} {{yuan payment.amountFen}}</p></body></html>';

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  a.account = (await customerWithAccount(admin, areas['1单元'].id, 'AX1')).accountId;
  expect((await admin.post('/api/v1/cashier-shifts', { openingFloatFen: 0 })).status).toBe(201);
  a.payment = await pay(admin, a.account);
  a.doc = (await admin.post('/api/v1/documents/receipts', { paymentId: a.payment })).body.id;
  const run = await runWithBills(p, [a.account]);
  a.run = run.runId;
  a.bill = run.billIds[0]!;

  b = await otherTenant(p);
  const bArea = (await b.post('/api/v1/areas', { parentId: null, name: 'B公司', kind: 'company' })).body.id;
  bIds.account = (await customerWithAccount(b, bArea, 'BX1')).accountId;
  expect((await b.post('/api/v1/cashier-shifts', { openingFloatFen: 0 })).status).toBe(201);
  bIds.payment = await pay(b, bIds.account);
  bIds.doc = (await b.post('/api/v1/documents/receipts', { paymentId: bIds.payment })).body.id;
  const bRun = await runWithBills(p, [bIds.account], 'other');
  bIds.run = bRun.runId;
  bIds.bill = bRun.billIds[0]!;
  const v = await b.post('/api/v1/documents/templates/receipt/a4/versions', { source: good, publish: true });
  expect(v.status).toBe(201);
}, 180_000);
afterAll(async () => p?.stop());

/** Every route that names a document, payment, bill or run, against the ids in `ids`. */
function probes(ids: Record<string, string>): [string, string, unknown, string][] {
  return [
    ['GET', `/api/v1/documents/${ids.doc}`, undefined, 'RESOURCE_NOT_FOUND'],
    ['GET', `/api/v1/documents/${ids.doc}/print`, undefined, 'RESOURCE_NOT_FOUND'],
    ['GET', `/api/v1/documents/${ids.doc}/pdf`, undefined, 'RESOURCE_NOT_FOUND'],
    ['POST', `/api/v1/documents/${ids.doc}/void`, { reason: 'x' }, 'RESOURCE_NOT_FOUND'],
    ['POST', '/api/v1/documents/receipts', { paymentId: ids.payment }, 'RESOURCE_NOT_FOUND'],
    ['POST', '/api/v1/documents/bills', { billId: ids.bill, kind: 'invoice' }, 'RESOURCE_NOT_FOUND'],
    ['POST', `/api/v1/documents/bill-runs/${ids.run}/notices`, {}, 'BILL_RUN_NOT_FOUND'],
    ['GET', `/api/v1/documents/bill-runs/${ids.run}/notices/print`, undefined, 'BILL_RUN_NOT_FOUND'],
    [
      'POST',
      '/api/v1/documents/templates/preview',
      { kind: 'receipt', variant: 'a4', source: good, paymentId: ids.payment },
      'RESOURCE_NOT_FOUND',
    ],
  ];
}

describe('cross-tenant probes', () => {
  it('answers 404 on every document route for the other tenant’s ids, writing nothing', async () => {
    const before = await documentCounts(p);
    for (const [method, path, body, code] of probes(bIds)) {
      const r = await admin.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code, `${method} ${path}`).toBe(code);
    }
    expect(await documentCounts(p)).toEqual(before);
    expect((await admin.get(`/api/v1/documents?accountId=${bIds.account}`)).body.items).toEqual([]);
    // the other tenant's template versions are not ours
    const detail = (await admin.get('/api/v1/documents/templates/receipt/a4')).body;
    expect(detail.origin).toBe('default');
    expect(detail.versions).toEqual([]);
    const v = await admin.get('/api/v1/documents/templates/receipt/a4/versions/1');
    expect(v.status).toBe(404);
    expect(v.body.error.code).toBe('DOCUMENT_TEMPLATE_UNKNOWN');
    expect((await b.get(`/api/v1/documents/${bIds.doc}`)).body.status).toBe('issued');
  });
});

describe('area scope', () => {
  it('a user scoped to another building reaches none of these documents and cannot design', async () => {
    const outsider = await userWith(
      p,
      admin,
      'doc-b2',
      ['documents.read', 'documents.issue', 'documents.void', 'documents.design', 'payments.read'],
      [areas['2号楼'].id],
    );
    const before = await documentCounts(p);
    for (const [method, path, body, code] of probes(a)) {
      const r = await outsider.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code, `${method} ${path}`).toBe(code);
    }
    expect((await outsider.get(`/api/v1/documents?accountId=${a.account}`)).body.items).toEqual([]);
    expect((await outsider.get('/api/v1/documents')).body.items).toEqual([]);
    for (const [method, path, body] of [
      ['POST', '/api/v1/documents/templates/receipt/a4/versions', { source: good }],
      ['PUT', '/api/v1/documents/series/receipt', { pattern: 'X{seq:4}' }],
    ] as const) {
      const r = await outsider.request(method, path, body);
      expect(r.status, path).toBe(403);
      expect(r.body.error.code, path).toBe('AUTH_SCOPE_TENANT_WIDE');
    }
    expect(await documentCounts(p)).toEqual(before);
  });
});

describe('privileges', () => {
  it('answers 403 AUTH_FORBIDDEN to a user holding less, writing nothing', async () => {
    const reader = await userWith(p, admin, 'doc-reader', ['documents.read']);
    const issuer = await userWith(p, admin, 'doc-issuer', ['documents.read', 'documents.issue']);
    const nobody = await userWith(p, admin, 'doc-nobody', ['customers.read', 'payments.read']);
    const before = await documentCounts(p);
    const cases: [Client, string, string, unknown?][] = [
      [nobody, 'GET', '/api/v1/documents'],
      [nobody, 'GET', `/api/v1/documents/${a.doc}/print`],
      [nobody, 'GET', '/api/v1/documents/templates'],
      [
        nobody,
        'POST',
        '/api/v1/documents/templates/preview',
        { kind: 'receipt', variant: 'a4', source: good },
      ],
      [reader, 'POST', '/api/v1/documents/receipts', { paymentId: a.payment }],
      [reader, 'POST', `/api/v1/documents/bill-runs/${a.run}/notices`, {}],
      [reader, 'POST', '/api/v1/documents/bills', { billId: a.bill, kind: 'invoice' }],
      [issuer, 'POST', `/api/v1/documents/${a.doc}/void`, { reason: 'x' }],
      [issuer, 'POST', '/api/v1/documents/templates/receipt/a4/versions', { source: good }],
      [issuer, 'POST', '/api/v1/documents/templates/receipt/a4/versions/1/publish', {}],
      [issuer, 'PUT', '/api/v1/documents/series/receipt', { pattern: 'X{seq:4}' }],
    ];
    for (const [c, method, path, body] of cases) {
      const r = await c.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code, `${method} ${path}`).toBe('AUTH_FORBIDDEN');
    }
    expect(await documentCounts(p)).toEqual(before);
    // reading is enough to re-print
    expect((await reader.get(`/api/v1/documents/${a.doc}/print`)).status).toBe(200);
  });
});

describe('bad input', () => {
  it('answers stable 4xx codes for wrong types, NUL, huge and empty bodies, writing nothing', async () => {
    const before = await documentCounts(p);
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/v1/documents/receipts', {}, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/documents/receipts', { paymentId: 42 }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/documents/receipts', { paymentId: a.payment, variant: 'a5' }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/documents/receipts', { paymentId: a.payment, extra: 1 }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/documents/receipts', '{"paymentId":', 400, 'REQ_JSON_MALFORMED'],
      ['POST', '/api/v1/documents/bills', { billId: a.bill, kind: 'receipt' }, 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/documents/${a.doc}/void`, {}, 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/documents/${a.doc}/void`, { reason: '   ' }, 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/documents/${a.doc}/void`, { reason: 'a\u0000b' }, 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/documents/${a.doc}/void`, { reason: 'x'.repeat(201) }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/documents/not-a-uuid/void', { reason: 'x' }, 400, 'REQ_VALIDATION'],
      ['GET', '/api/v1/documents?limit=100000', undefined, 400, 'REQ_VALIDATION'],
      ['GET', '/api/v1/documents?accountId=x', undefined, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/documents/templates/receipt/a4/versions', {}, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/documents/templates/receipt/a4/versions', { source: 7 }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/documents/templates/receipt/a4/versions', { source: '' }, 400, 'REQ_VALIDATION'],
      [
        'POST',
        '/api/v1/documents/templates/receipt/a4/versions',
        { source: 'a\u0000' },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/documents/templates/receipt/a4/versions',
        { source: 'x'.repeat(70_000) },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/documents/templates/receipt/a4/versions',
        { source: 'x'.repeat(900_000) },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/documents/templates/receipt/a4/versions',
        { source: good, publish: 'yes' },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        '/api/v1/documents/templates/letter/a4/versions',
        { source: good },
        404,
        'DOCUMENT_TEMPLATE_UNKNOWN',
      ],
      [
        'POST',
        '/api/v1/documents/templates/invoice/thermal80/versions',
        { source: good },
        404,
        'DOCUMENT_TEMPLATE_UNKNOWN',
      ],
      ['POST', '/api/v1/documents/templates/receipt/a4/versions/0/publish', {}, 400, 'REQ_VALIDATION'],
      [
        'POST',
        '/api/v1/documents/templates/receipt/a4/versions/99/publish',
        {},
        404,
        'DOCUMENT_TEMPLATE_UNKNOWN',
      ],
      ['POST', '/api/v1/documents/templates/preview', {}, 400, 'REQ_VALIDATION'],
      [
        'POST',
        '/api/v1/documents/templates/preview',
        { kind: 'receipt', variant: 'a4', source: good, billId: a.bill },
        400,
        'REQ_VALIDATION',
      ],
      ['PUT', '/api/v1/documents/series/receipt', {}, 400, 'REQ_VALIDATION'],
      ['PUT', '/api/v1/documents/series/receipt', { pattern: 'x'.repeat(65) }, 400, 'REQ_VALIDATION'],
      ['PUT', '/api/v1/documents/series/letter', { pattern: 'X{seq:4}' }, 404, 'DOCUMENT_TEMPLATE_UNKNOWN'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await admin.request(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}`).toBe(status);
      expect(r.body.error.code, `${method} ${path}`).toBe(code);
    }
    expect(await documentCounts(p)).toEqual(before);
  });

  it('refuses a receipt for a reversed payment and a notice for a held bill', async () => {
    const pid = await pay(admin, a.account, 900);
    const req = await admin.post(`/api/v1/payments/${pid}/reversal-requests`, { reason: '测试' });
    expect(req.status).toBe(201);
    const approver = await userWith(p, admin, 'doc-approver', ['payments.read', 'payments.reverse.approve']);
    expect((await approver.post(`/api/v1/payment-reversals/${req.body.id}/approve`, {})).status).toBe(200);
    const before = await documentCounts(p);
    const r = await admin.post('/api/v1/documents/receipts', { paymentId: pid });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('DOCUMENT_SOURCE_INVALID');
    await inDemo(p, (tx) => tx.execute(sql`update bills set status = 'held' where id = ${a.bill}`));
    const held = await admin.post('/api/v1/documents/bills', { billId: a.bill, kind: 'payment-notice' });
    expect(held.status).toBe(409);
    expect(held.body.error.code).toBe('DOCUMENT_SOURCE_INVALID');
    await inDemo(p, (tx) => tx.execute(sql`update bills set status = 'issued' where id = ${a.bill}`));
    expect(await documentCounts(p)).toEqual(before);
  });
});
