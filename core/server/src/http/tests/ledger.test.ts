import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LedgerWorld, ledgerRows, ledgerWorld } from './ledger-fixtures.ts';

let w: LedgerWorld;

beforeAll(async () => {
  w = await ledgerWorld();
});
afterAll(async () => w?.p.stop());

describe('account ledger', () => {
  it('lists entries newest first with the balance after each, in keyset pages', async () => {
    const first = await w.admin.get(`/api/v1/accounts/${w.accA}/ledger?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.balanceFen).toBe(-7000);
    expect(
      first.body.items.map((e: { id: string; amountFen: number; balanceAfterFen: number }) => [
        e.id,
        e.amountFen,
        e.balanceAfterFen,
      ]),
    ).toEqual([
      [w.paymentA, 5000, -7000],
      [w.fixedA, -2000, -12000],
    ]);
    expect(first.body.next).toBe(w.fixedA);
    const second = await w.admin.get(`/api/v1/accounts/${w.accA}/ledger?limit=2&before=${first.body.next}`);
    expect(
      second.body.items.map((e: { id: string; balanceAfterFen: number }) => [e.id, e.balanceAfterFen]),
    ).toEqual([[w.chargeA, -10000]]);
    expect(second.body.next).toBeNull();
  });

  it('gives a statement with opening, running and closing balances and the open items', async () => {
    const r = await w.admin.get(`/api/v1/accounts/${w.accA}/statement?from=2026-10-01&to=2026-11-30`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      accountNumber: 'LA1',
      openingFen: -10000,
      closingFen: -7000,
      debitsFen: 2000,
      creditsFen: 5000,
      balanceFen: -7000,
      truncated: false,
    });
    expect(
      r.body.entries.map((e: { id: string; balanceAfterFen: number }) => [e.id, e.balanceAfterFen]),
    ).toEqual([
      [w.fixedA, -12000],
      [w.paymentA, -7000],
    ]);
    // nothing allocated the seeded payment yet: every charge is still open in full
    expect(r.body.openItems.map((d: { id: string; openFen: number }) => [d.id, d.openFen])).toEqual([
      [w.fixedA, 2000],
      [w.chargeA, 10000],
    ]);
  });

  it('exports the statement as xlsx in the asked language', async () => {
    const res = await fetch(
      `${w.p.baseUrl}/api/v1/accounts/${w.accA}/statement.xlsx?from=2026-10-01&to=2026-11-30&lang=en`,
      { headers: { cookie: w.admin.cookie } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const rows = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    const cells = rows.map((r) => r.slice(1));
    expect(cells[0]).toEqual(['Account', 'LA1']);
    expect(cells[2]).toEqual(['Opening balance (CNY)', '-100.00']);
    const [date, kind, category, , amount, balance, key] = cells[4];
    expect([date, kind, category, amount, balance, key]).toEqual([
      '2026-10-31',
      'Charge',
      'fixed',
      '-20.00',
      '-120.00',
      'w:a:fixed',
    ]);
    expect(cells[6]).toEqual(['Closing balance (CNY)', '-70.00']);
  });
});

describe('adjustments and reversals', () => {
  it('an adjustment posts once per idempotency key, allocates, and is audited', async () => {
    const before = await ledgerRows(w);
    const body = { amountFen: 1500, reason: '水表误差退还', idempotencyKey: crypto.randomUUID() };
    const made = await w.admin.post(`/api/v1/accounts/${w.accA}/adjustments`, body);
    expect(made.status).toBe(201);
    expect(made.body.entry).toMatchObject({
      kind: 'adjustment',
      amountFen: 1500,
      category: 'adjustment',
      memo: '水表误差退还',
      created: true,
    });
    expect(made.body.balanceFen).toBe(-5500);
    const again = await w.admin.post(`/api/v1/accounts/${w.accA}/adjustments`, body);
    expect(again.body.entry).toMatchObject({ id: made.body.entry.id, created: false });
    const after = await ledgerRows(w);
    // one entry, one audit row; allocation settled the fixed charge (2000) and 4500 of the usage charge
    expect(after.entries - before.entries).toBe(1);
    expect(after.audit - before.audit).toBe(1);
    const open = (await w.admin.get(`/api/v1/accounts/${w.accA}/statement?from=2026-01-01&to=2026-12-31`))
      .body.openItems;
    expect(
      open.map((d: { id: string; openFen: number; settledFen: number }) => [d.id, d.openFen, d.settledFen]),
    ).toEqual([[w.chargeA, 5500, 4500]]);
  });

  it('a reversal undoes an entry once, re-allocates, and refuses a second time', async () => {
    const r = await w.admin.post(`/api/v1/ledger-entries/${w.fixedA}/reversal`, { reason: '重复收费' });
    expect(r.status).toBe(201);
    expect(r.body.entry).toMatchObject({
      kind: 'reversal',
      amountFen: 2000,
      reverses: w.fixedA,
      businessKey: `rev:${w.fixedA}`,
    });
    expect(r.body.balanceFen).toBe(-3500);
    const again = await w.admin.post(`/api/v1/ledger-entries/${w.fixedA}/reversal`, { reason: '再来' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('LEDGER_ALREADY_REVERSED');
    const rev = await w.admin.post(`/api/v1/ledger-entries/${r.body.entry.id}/reversal`, { reason: 'x' });
    expect(rev.status).toBe(409);
    expect(rev.body.error.code).toBe('LEDGER_NOT_REVERSIBLE');
    const open = (await w.admin.get(`/api/v1/accounts/${w.accA}/statement?from=2026-01-01&to=2026-12-31`))
      .body.openItems;
    expect(open.map((d: { id: string; openFen: number }) => [d.id, d.openFen])).toEqual([[w.chargeA, 3500]]);
  });
});

describe('ledger check and billing settings', () => {
  it('the check finds no mismatch, then the one a tampered cache makes', async () => {
    const ok = await w.admin.get('/api/v1/ledger/check');
    expect(ok.status).toBe(200);
    expect(ok.body.mismatches).toEqual([]);
    expect(ok.body.checkedAccounts).toBe(2);
    await w.p.running.platform.database
      .sql`update account_balances set balance_fen = balance_fen + 1 where account_id = ${w.accB}`;
    const bad = await w.admin.get('/api/v1/ledger/check');
    expect(bad.body.mismatches).toEqual([
      { accountId: w.accB, cachedFen: -699, cachedCount: 1, entriesFen: -700, entriesCount: 1 },
    ]);
    await w.p.running.platform.database
      .sql`update account_balances set balance_fen = balance_fen - 1 where account_id = ${w.accB}`;
  });

  it('reads the defaults and saves new settings with one audit row', async () => {
    const d = await w.admin.get('/api/v1/billing-settings');
    expect(d.body).toEqual({
      allocationOrder: ['arrears', 'late_fee', 'fixed', 'usage'],
      dueDays: 15,
      lateFeePerMillePerDay: 1,
      lateFeeGraceDays: 0,
      lateFeeCapPercent: 100,
      lateFeeMinFen: 100,
      holdEstimated: true,
      holdMissing: true,
      holdAboveFen: null,
    });
    const next = {
      allocationOrder: ['usage', 'fixed', 'late_fee', 'arrears'],
      dueDays: 20,
      lateFeePerMillePerDay: 0.5,
      lateFeeGraceDays: 5,
      lateFeeCapPercent: 30.25,
      lateFeeMinFen: 0,
      holdEstimated: false,
      holdMissing: true,
      holdAboveFen: 1_000_000,
    };
    const before = await ledgerRows(w);
    const put = await w.admin.put('/api/v1/billing-settings', next);
    expect(put.status).toBe(200);
    expect(put.body).toEqual(next);
    expect((await w.admin.get('/api/v1/billing-settings')).body).toEqual(next);
    const after = await ledgerRows(w);
    expect([after.settings - before.settings, after.audit - before.audit]).toEqual([1, 1]);
  });
});
