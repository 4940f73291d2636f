import { existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { nextNumber } from '../../services/documents/numbering.ts';
import { type Area, demoAreas, inDemo, tenantId } from './archive-fixtures.ts';
import { documentCounts, pay, runWithBills } from './document-fixtures.ts';
import { customerWithAccount } from './payment-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let areas: Record<string, Area>;
let account: string;
let account2: string;
const year = String(new Date().getUTCFullYear());

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  account = (await customerWithAccount(admin, areas['1单元'].id, 'D1', '13900003333')).accountId;
  account2 = (await customerWithAccount(admin, areas['2号楼'].id, 'D2')).accountId;
  expect((await admin.post('/api/v1/cashier-shifts', { openingFloatFen: 0 })).status).toBe(201);
}, 180_000);
afterAll(async () => p?.stop());

describe('templates: versions, publish and rollback', () => {
  it('lists the defaults, saves a version, publishes it and rolls back to the default’s successor', async () => {
    const list = await admin.get('/api/v1/documents/templates');
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual({
      kind: 'receipt',
      variant: 'thermal80',
      source: 'default',
      version: null,
    });
    expect(list.body.items).toHaveLength(5);

    const detail = await admin.get('/api/v1/documents/templates/receipt/a4');
    expect(detail.body.origin).toBe('default');
    expect(detail.body.source).toBe(detail.body.defaultSource);
    expect(detail.body.fields).toEqual(
      expect.arrayContaining(['payment.amountFen', 'customer.name', 'document.number']),
    );

    const v1 = await admin.post('/api/v1/documents/templates/receipt/a4/versions', {
      source: '<html><body><h1>V1 {{document.number}}</h1><p>{{yuan payment.amountFen}}</p></body></html>',
      note: 'first',
      publish: true,
    });
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    expect(v1.body).toMatchObject({ version: 1, note: 'first', current: true });
    const v2 = await admin.post('/api/v1/documents/templates/receipt/a4/versions', {
      source: '<html><body><h1>V2 {{document.number}}</h1><p>{{rmb payment.amountFen}}</p></body></html>',
    });
    expect(v2.body).toMatchObject({ version: 2, current: false, publishedAt: null });
    expect((await admin.get('/api/v1/documents/templates/receipt/a4')).body.version).toBe(1);
    const pub2 = await admin.post('/api/v1/documents/templates/receipt/a4/versions/2/publish');
    expect(pub2.status).toBe(200);
    expect(pub2.body.current).toBe(true);
    const now = (await admin.get('/api/v1/documents/templates/receipt/a4')).body;
    expect(now).toMatchObject({ origin: 'tenant', version: 2 });
    expect(now.source).toContain('V2');
    // rollback: publish version 1 again
    expect((await admin.post('/api/v1/documents/templates/receipt/a4/versions/1/publish')).status).toBe(200);
    const back = (await admin.get('/api/v1/documents/templates/receipt/a4')).body;
    expect(back.version).toBe(1);
    expect(back.versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
      [2, false],
      [1, true],
    ]);
    const one = await admin.get('/api/v1/documents/templates/receipt/a4/versions/2');
    expect(one.body.source).toContain('V2');
  });

  it('previews with sample data and refuses a broken template with its line and column, saving nothing', async () => {
    const ok = await admin.post('/api/v1/documents/templates/preview', {
      kind: 'payment-notice',
      variant: 'a4',
      source:
        '<p>{{customer.name}} {{yuan bill.totalFen}} {{rmb bill.totalFen}} {{date bill.dueDate}} {{pad account.number 10 "*"}}</p>',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.html).toBe('<p>张三 86.50 捌拾陆元伍角整 2026-12-15 ***A-10086</p>');
    const before = await documentCounts(p);
    const cases: [string, number | null][] = [
      ['<p>\n  {{#if customer.name}}\n  {{customer.name}}\n{{/each}}</p>', 2],
      ['<p>\n{{customer.name</p>', 2],
      ['line one\n{{> evil}}', 2],
      ['{{#*inline "r"}}{{> r}}{{/inline}}{{> r}}', 1],
      ['<p>{{{customer.name}}}</p>', 1],
      ['<p>{{lookup this "constructor"}}</p>\n{{exec "rm"}}', 2],
    ];
    for (const [source, line] of cases) {
      const pre = await admin.post('/api/v1/documents/templates/preview', {
        kind: 'receipt',
        variant: 'a4',
        source,
      });
      expect(pre.status, source).toBe(422);
      expect(pre.body.error.code, source).toBe('DOCUMENT_TEMPLATE_INVALID');
      expect(pre.body.error.details.line, source).toBe(line);
      expect(typeof pre.body.error.details.column, source).toBe('number');
      const save = await admin.post('/api/v1/documents/templates/receipt/a4/versions', {
        source,
        publish: true,
      });
      expect(save.body.error.code, source).toBe('DOCUMENT_TEMPLATE_INVALID');
    }
    expect(await documentCounts(p)).toEqual(before);
  });

  it('never resolves prototype properties and escapes every value', async () => {
    const r = await admin.post('/api/v1/documents/templates/preview', {
      kind: 'receipt',
      variant: 'a4',
      source:
        '[{{customer.constructor}}][{{customer.__proto__}}][{{lookup customer "constructor"}}][{{customer.hasOwnProperty}}]',
    });
    expect(r.status).toBe(200);
    expect(r.body.html).toBe('[][][][]');
    await inDemo(p, (tx) =>
      tx.execute(sql`update customers set name = '<script>x</script>' where number = 'PC-D2'`),
    );
    const pid = await pay(admin, account2, 100);
    const real = await admin.post('/api/v1/documents/templates/preview', {
      kind: 'receipt',
      variant: 'a4',
      source: '<b>{{customer.name}}</b> {{yuan payment.amountFen}}',
      paymentId: pid,
    });
    expect(real.body.html).toBe('<b>&lt;script&gt;x&lt;/script&gt;</b> 1.00');
  });
});

describe('issuing, re-printing and voiding', () => {
  it('issues a receipt once per payment with the series number, re-prints it identically and voids with a reason', async () => {
    const pid = await pay(admin, account, 12345);
    const issued = await admin.post('/api/v1/documents/receipts', { paymentId: pid });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body).toMatchObject({
      kind: 'receipt',
      variant: 'a4',
      status: 'issued',
      templateVersion: 1,
      replayed: false,
    });
    expect(issued.body.number).toMatch(new RegExp(`^SJ${year}\\d{6}$`));
    const again = await admin.post('/api/v1/documents/receipts', { paymentId: pid });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: issued.body.id, replayed: true });
    // concurrent requests for one payment: one receipt, the others answer it
    const pid2 = await pay(admin, account, 200);
    const racing = await Promise.all(
      Array.from({ length: 5 }, () => admin.post('/api/v1/documents/receipts', { paymentId: pid2 })),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(racing.map((r) => r.body.id)).size).toBe(1);

    const print1 = await admin.get(`/api/v1/documents/${issued.body.id}/print`);
    expect(print1.status).toBe(200);
    expect(print1.body.raw).toContain(`V1 ${issued.body.number}`);
    expect(print1.body.raw).toContain('123.45');
    // publishing another version does not change what was issued
    await admin.post('/api/v1/documents/templates/receipt/a4/versions/2/publish');
    const print2 = await admin.get(`/api/v1/documents/${issued.body.id}/print`);
    expect(print2.body.raw).toBe(print1.body.raw);

    const listed = await admin.get(`/api/v1/documents?accountId=${account}`);
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([racing[0]!.body.id, issued.body.id]);

    const voided = await admin.post(`/api/v1/documents/${issued.body.id}/void`, { reason: '打印错误' });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({
      status: 'voided',
      voidReason: '打印错误',
      voidedByName: expect.any(String),
    });
    const twice = await admin.post(`/api/v1/documents/${issued.body.id}/void`, { reason: '再次' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('DOCUMENT_ALREADY_VOID');
    expect((await admin.get(`/api/v1/documents/${issued.body.id}/print`)).body.raw).toContain('作废');
    // a new receipt may be issued after the void, with the next number (now on version 2)
    const fresh = await admin.post('/api/v1/documents/receipts', { paymentId: pid });
    expect(fresh.status).toBe(201);
    expect(fresh.body.templateVersion).toBe(2);
    expect(Number(fresh.body.number.slice(-6))).toBe(Number(racing[0]!.body.number.slice(-6)) + 1);
    const audit = await inDemo(p, (tx) =>
      tx.execute<{ action: string }>(
        sql`select action from audit_log where target_id = ${issued.body.id} order by id`,
      ),
    );
    expect(audit.map((a) => a.action)).toEqual(['documents.issue', 'documents.void']);
  });

  it('prints an 80 mm thermal receipt with its @page size', async () => {
    const pid = await pay(admin, account, 800);
    const doc = await admin.post('/api/v1/documents/receipts', { paymentId: pid, variant: 'thermal80' });
    expect(doc.status).toBe(201);
    const html = (await admin.get(`/api/v1/documents/${doc.body.id}/print`)).body.raw as string;
    expect(html).toContain('@page{size:80mm auto');
    expect(html).toContain('捌元整');
  });

  it('hands out gap-free numbers under concurrency, and a rolled-back issue gives its number back', async () => {
    await admin.put('/api/v1/documents/series/invoice', { pattern: 'FP-{yy}{mm}-{seq:4}' });
    const t = await tenantId(p, 'demo');
    const at = new Date();
    // 20 concurrent transactions; every third one rolls back after taking a number
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        inDemo(p, async (tx) => {
          const n = await nextNumber(tx, t, 'invoice', at, 'Asia/Shanghai');
          if (i % 3 === 0) throw new Error(`rollback ${n}`);
          return n;
        }),
      ),
    );
    const kept = results
      .filter((r) => r.status === 'fulfilled')
      .map((r) => (r as PromiseFulfilledResult<string>).value);
    expect(kept).toHaveLength(13);
    const seqs = kept.map((n) => Number(n.slice(-4))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(kept[0]).toMatch(/^FP-\d{4}-\d{4}$/);

    // and through the API: 8 receipts at once get 8 consecutive numbers
    const pids = await Promise.all(Array.from({ length: 8 }, () => pay(admin, account, 100)));
    const docs = await Promise.all(
      pids.map((paymentId) => admin.post('/api/v1/documents/receipts', { paymentId })),
    );
    expect(docs.map((d) => d.status)).toEqual(Array(8).fill(201));
    const nums = docs.map((d) => Number(d.body.number.slice(-6))).sort((a, b) => a - b);
    expect(nums[7]! - nums[0]!).toBe(7);
    expect(new Set(nums).size).toBe(8);
  });

  it('refuses a pattern without one {seq:N} and a series that ran out, writing nothing', async () => {
    const before = await documentCounts(p);
    for (const pattern of ['SJ{yyyy}', 'SJ{seq:4}{seq:4}', 'SJ{hh}{seq:4}', 'S J{seq:3}', '{seq:0}']) {
      const r = await admin.put('/api/v1/documents/series/receipt', { pattern });
      expect(r.status, pattern).toBe(422);
      expect(r.body.error.code, pattern).toBe('DOCUMENT_NUMBER_PATTERN_INVALID');
    }
    expect(await documentCounts(p)).toEqual(before);
    await admin.put('/api/v1/documents/series/arrears-notice', { pattern: 'QF{seq:1}' });
    await inDemo(p, (tx) =>
      tx.execute(sql`update document_series set next_seq = 10 where kind = 'arrears-notice'`),
    );
    const t = await tenantId(p, 'demo');
    await expect(
      inDemo(p, (tx) => nextNumber(tx, t, 'arrears-notice', new Date(), 'Asia/Shanghai')),
    ).rejects.toMatchObject({
      code: 'DOCUMENT_SERIES_EXHAUSTED',
    });
  });
});

describe('bill documents and batch printing', () => {
  it('issues the payment notices of a run once, and prints them as one page with page breaks', {
    timeout: 60_000,
  }, async () => {
    const { runId, billIds } = await runWithBills(p, [account, account2]);
    const batch = await admin.post(`/api/v1/documents/bill-runs/${runId}/notices`);
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    expect(batch.body).toMatchObject({ issued: 2, replayed: 0 });
    const again = await admin.post(`/api/v1/documents/bill-runs/${runId}/notices`);
    expect(again.body).toMatchObject({ issued: 0, replayed: 2 });
    expect(again.body.documentIds).toEqual(batch.body.documentIds);

    const page = await admin.get(`/api/v1/documents/bill-runs/${runId}/notices/print`);
    expect(page.status).toBe(200);
    const html = page.body.raw as string;
    expect(html.match(/<section class="qm-page">/g)).toHaveLength(2);
    expect(html).toContain('break-after:page');
    expect(html).toContain('柒拾玖元贰角整');
    expect(html).toContain('第一阶梯水费');
    const pdf = await fetch(`${p.baseUrl}/api/v1/documents/bill-runs/${runId}/notices/pdf`, {
      headers: { cookie: admin.cookie },
    });
    if (existsSync('/usr/bin/chromium')) {
      expect(pdf.status).toBe(200);
      const bytes = Buffer.from(await pdf.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      // two A4 pages, one per notice
      expect(bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(2);
    } else expect(pdf.status).toBe(503);

    const inv = await admin.post('/api/v1/documents/bills', { billId: billIds[0], kind: 'invoice' });
    expect(inv.status).toBe(201);
    expect(inv.body.number).toMatch(/^FP-\d{4}-\d{4}$/);
    const invData = await inDemo(p, (tx) =>
      tx.execute<{ e: Record<string, string> }>(
        sql`select data->'einvoice' as e from documents where id = ${inv.body.id}`,
      ),
    );
    expect(invData[0]!.e).toMatchObject({
      status: 'none',
      invoiceNumber: '',
      sellerName: expect.any(String),
    });
  });

  it('answers a PDF when Chromium is installed, else DOCUMENT_PDF_UNAVAILABLE', async () => {
    const pid = await pay(admin, account, 300);
    const doc = await admin.post('/api/v1/documents/receipts', { paymentId: pid });
    const res = await fetch(`${p.baseUrl}/api/v1/documents/${doc.body.id}/pdf`, {
      headers: { cookie: admin.cookie },
    });
    if (existsSync('/usr/bin/chromium')) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    } else {
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DOCUMENT_PDF_UNAVAILABLE');
    }
  }, 60_000);
});
