import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../services/archives/scope.ts';
import { addDays } from '../../services/billing/bills/late-fee-rule.ts';
import { type BillWorld, billRows, billWorld } from './bills-fixtures.ts';
import { download, sheetRows } from './import-fixtures.ts';

let w: BillWorld;
let today: string;

beforeAll(async () => {
  w = await billWorld();
  today = todayIn(w.p.running.platform.config.QUADMETER_TIMEZONE);
});
afterAll(async () => w?.p.stop());

const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((b) => b.id).sort();
const sorted = (...xs: string[]) => [...xs].sort();

describe('GET /bills', () => {
  it('lists and filters by status, held, area, account, customer number and period', async () => {
    const all = await w.admin.get('/api/v1/bills');
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual(sorted(w.issuedA.bill, w.heldA.bill, w.heldB.bill, w.issuedB.bill));
    expect(all.body).toMatchObject({ total: 4, totalIsEstimate: false, next: null });
    const one = all.body.items.find((b: { id: string }) => b.id === w.issuedA.bill);
    expect(one).toMatchObject({
      status: 'issued',
      accountNumber: 'ABA1',
      customerNumber: 'CBA1',
      customerName: '客户BA1',
      areaName: '1号楼',
      periodFrom: '2026-10-01',
      periodTo: '2026-11-01',
      totalFen: 20_832,
      dueDate: '2026-11-15',
      holdReasons: [],
    });
    expect(ids(await w.admin.get('/api/v1/bills?heldOnly=true'))).toEqual(sorted(w.heldA.bill, w.heldB.bill));
    expect(ids(await w.admin.get('/api/v1/bills?status=issued'))).toEqual(
      sorted(w.issuedA.bill, w.issuedB.bill),
    );
    expect(ids(await w.admin.get(`/api/v1/bills?areaId=${w.areaA}`))).toEqual(
      sorted(w.issuedA.bill, w.heldA.bill),
    );
    expect(ids(await w.admin.get(`/api/v1/bills?accountId=${w.heldB.account}`))).toEqual([w.heldB.bill]);
    expect(ids(await w.admin.get('/api/v1/bills?customerNumber=CBB2'))).toEqual([w.issuedB.bill]);
    expect(ids(await w.admin.get('/api/v1/bills?period=2026-09-01'))).toEqual([]);
  });

  it('pages by keyset without repeating or losing a bill', async () => {
    const seen: string[] = [];
    let after = '';
    for (let i = 0; i < 10; i++) {
      const r = await w.admin.get(`/api/v1/bills?limit=1${after ? `&after=${after}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBe(1);
      seen.push(r.body.items[0].id);
      if (!r.body.next) break;
      after = r.body.next;
    }
    expect(seen.sort()).toEqual(sorted(w.issuedA.bill, w.heldA.bill, w.heldB.bill, w.issuedB.bill));
  });
});

describe('GET /bills/export.xlsx', () => {
  it('exports the filtered bills in the chosen language, amounts in yuan', async () => {
    const zh = await download(w.admin, `/api/v1/bills/export.xlsx?areaId=${w.areaA}`);
    expect(zh.status).toBe(200);
    expect(zh.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const rows = await sheetRows(zh.bytes);
    expect(rows[0]).toEqual([
      '用户编号',
      '用户名称',
      '账户',
      '区域',
      '账期起',
      '账期止',
      '状态',
      '暂缓原因',
      '金额（元）',
      '缴费截止日',
    ]);
    // (a sheet row ends at its last non-empty cell)
    expect(rows.slice(1).sort()).toEqual(
      [
        [
          'CBA1',
          '客户BA1',
          'ABA1',
          '1号楼',
          '2026-10-01',
          '2026-11-01',
          '已出账',
          '',
          '208.32',
          '2026-11-15',
        ],
        ['CBA2', '客户BA2', 'ABA2', '1号楼', '2026-10-01', '2026-11-01', '待审核', 'estimated', '48.83'],
      ].sort(),
    );
    const en = await sheetRows(
      (await download(w.admin, '/api/v1/bills/export.xlsx?heldOnly=true&lang=en')).bytes,
    );
    expect(en[0][6]).toBe('Status');
    expect(
      en
        .slice(1)
        .map((r) => [r[0], r[6]])
        .sort(),
    ).toEqual([
      ['CBA2', 'Held'],
      ['CBB1', 'Held'],
    ]);
  });
});

describe('GET /bills/{id}', () => {
  it('explains every line: readings and their source, tariff plan and version, tier, price × quantity', async () => {
    const r = await w.admin.get(`/api/v1/bills/${w.issuedA.bill}`);
    expect(r.status).toBe(200);
    expect(
      r.body.lines.map((l: Record<string, unknown>) => [
        l.lineNo,
        l.category,
        l.tier,
        l.quantity,
        l.price,
        l.amountFen,
      ]),
    ).toEqual([
      [1, 'usage', 1, '240.000000', '0.488300', 11_719],
      [2, 'usage', 2, '160.000000', '0.538300', 8_613],
      [3, 'fixed', null, null, null, 500],
    ]);
    expect(r.body.lines[0]).toMatchObject({
      tariffPlanCode: 'BJ-RES-E',
      tariffVersion: 3,
      tariffVersionId: w.versionId,
      readings: [
        { ts: '2026-10-01T00:00:00Z', value: '1000.00', source: 'daily-freeze', meterId: null },
        { ts: '2026-11-01T00:00:00Z', value: '1450.00', source: 'monthly-freeze', meterId: null },
      ],
    });
    expect(
      r.body.entries.map((e: Record<string, unknown>) => [e.kind, e.category, e.amountFen, e.businessKey]),
    ).toEqual(
      [
        ['charge', 'fixed', -500, `bill:${w.issuedA.bill}:fixed`],
        ['charge', 'usage', -20_332, `bill:${w.issuedA.bill}:usage`],
      ].sort((a, b) => String(a[3]).localeCompare(String(b[3]))),
    );
    expect(r.body.due).toEqual({
      principalFen: 20_832,
      lateFeesFen: 0,
      paidFen: 0,
      unpaidFen: 20_832,
      unpaidPrincipalFen: 20_832,
    });
    const held = await w.admin.get(`/api/v1/bills/${w.heldA.bill}`);
    expect(held.body.bill).toMatchObject({ status: 'held', holdReasons: ['estimated'] });
    expect(held.body.lines[0].readings[0].source).toBe('estimate');
  });
});

describe('approving held bills', () => {
  it('issues one bill, posts its charges, sets the due date and audits it', async () => {
    const before = await billRows(w);
    const r = await w.admin.post(`/api/v1/bills/${w.heldA.bill}/approve`, {});
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ approved: [{ id: w.heldA.bill, dueDate: addDays(today, 15) }] });
    expect(await billRows(w)).toEqual({
      ...before,
      entries: before.entries + 1,
      held: before.held - 1,
      issued: before.issued + 1,
      audit: before.audit + 1,
    });
    const again = await w.admin.post(`/api/v1/bills/${w.heldA.bill}/approve`, {});
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'BILL_STATE_INVALID', details: { ids: [w.heldA.bill] } });
  });

  it('approves many all or none', async () => {
    const before = await billRows(w);
    const mixed = await w.admin.post('/api/v1/bills/approve', { ids: [w.heldB.bill, w.issuedA.bill] });
    expect(mixed.status).toBe(409);
    expect(mixed.body.error).toMatchObject({
      code: 'BILL_STATE_INVALID',
      details: { ids: [w.issuedA.bill] },
    });
    expect(await billRows(w)).toEqual(before);
  });
});

describe('cancel, re-bill and adjust', () => {
  it('cancels an issued bill with reversal entries that bring its charges to zero', async () => {
    const r = await w.admin.post(`/api/v1/bills/${w.issuedB.bill}/cancel`, { reason: '抄表错误' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: w.issuedB.bill, status: 'cancelled', reversals: 1 });
    const d = await w.admin.get(`/api/v1/bills/${w.issuedB.bill}`);
    expect(d.body.bill).toMatchObject({ status: 'cancelled', cancelReason: '抄表错误' });
    const [charge, reversal] = d.body.entries;
    expect(reversal).toMatchObject({
      kind: 'reversal',
      amountFen: 7_000,
      reverses: charge.id,
      businessKey: `rev:${charge.id}`,
      occurredOn: today,
      memo: '抄表错误',
    });
    const again = await w.admin.post(`/api/v1/bills/${w.issuedB.bill}/cancel`, { reason: 'x' });
    expect(again.body.error).toMatchObject({ code: 'BILL_STATE_INVALID' });
  });

  it('re-bills: cancels and creates a bill run for the account and period, enqueued in the same transaction', async () => {
    const r = await w.admin.post(`/api/v1/bills/${w.issuedA.bill}/rebill`, { reason: '换表后重算' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: w.issuedA.bill, status: 'cancelled', reversals: 2 });
    const sql = w.p.running.platform.database.sql;
    const [run] = await sql`select period_from::text as "from", period_to::text as "to", status, options,
      area_id::text as area from bill_runs where id = ${r.body.runId}`;
    expect(run).toEqual({
      from: '2026-10-01',
      to: '2026-11-01',
      status: 'queued',
      area: w.areaA,
      options: { accountIds: [w.issuedA.account], replaces: w.issuedA.bill, reason: '换表后重算' },
    });
    const jobs = await sql`select data from pgboss.job where name = 'billing.run'`;
    expect(jobs.map((j) => j.data)).toEqual([
      { tenantId: expect.any(String), data: { tenantId: expect.any(String), runId: r.body.runId } },
    ]);
  });

  it('adjusts an issued bill by a ledger entry; refuses held bills and credits beyond the principal', async () => {
    const up = await w.admin.post(`/api/v1/bills/${w.heldA.bill}/adjustments`, {
      amountFen: 1_000,
      reason: '补差',
    });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ id: w.heldA.bill, principalFen: 5_883 });
    const d = await w.admin.get(`/api/v1/bills/${w.heldA.bill}`);
    expect(d.body.entries.at(-1)).toMatchObject({
      id: up.body.entryId,
      kind: 'adjustment',
      category: 'adjustment',
      amountFen: -1_000,
      memo: '补差',
    });
    expect(d.body.entries.at(-1).businessKey).toMatch(/^adj:[0-9a-f-]{36}$/);
    expect(d.body.due).toMatchObject({ principalFen: 5_883, unpaidFen: 5_883 });
    const before = await billRows(w);
    const tooMuch = await w.admin.post(`/api/v1/bills/${w.heldA.bill}/adjustments`, {
      amountFen: -5_884,
      reason: '退',
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({ code: 'BILL_ADJUSTMENT_TOO_LARGE' });
    const held = await w.admin.post(`/api/v1/bills/${w.heldB.bill}/adjustments`, {
      amountFen: 100,
      reason: 'x',
    });
    expect(held.body.error).toMatchObject({ code: 'BILL_STATE_INVALID', details: { status: 'held' } });
    expect(await billRows(w)).toEqual(before);
  });
});
