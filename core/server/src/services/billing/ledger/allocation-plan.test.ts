import { describe, expect, it } from 'vitest';
import { debitRank, type OpenDebit, planAllocation, sortDebits } from './allocation-plan.ts';
import { yuan } from './statement-xlsx.ts';

const debit = (
  id: string,
  bucket: string,
  openFen: number,
  occurredOn = '2026-10-01',
  kind = 'charge',
): OpenDebit => ({
  id,
  kind,
  category: bucket,
  bucket,
  occurredOn,
  billId: null,
  dueDate: null,
  amountFen: openFen,
  openFen,
});

describe('allocation plan', () => {
  it('ranks refunds first, then the order, then unnamed buckets', () => {
    const order = ['arrears', 'late_fee', 'fixed', 'usage'];
    expect(debitRank({ kind: 'refund', bucket: 'deposit' }, order)).toBe(-1);
    expect(debitRank({ kind: 'charge', bucket: 'arrears' }, order)).toBe(0);
    expect(debitRank({ kind: 'charge', bucket: 'usage' }, order)).toBe(3);
    expect(debitRank({ kind: 'charge', bucket: 'meter-repair' }, order)).toBe(4);
  });

  it('sorts by rank, then business date, then id numerically', () => {
    const sorted = sortDebits(
      [
        debit('10', 'usage', 1, '2026-09-01'),
        debit('9', 'usage', 1, '2026-09-01'),
        debit('100', 'fixed', 1, '2026-11-01'),
        debit('2', 'other', 1, '2020-01-01'),
        debit('3', 'usage', 1, '2026-08-01'),
      ],
      ['fixed', 'usage'],
    );
    expect(sorted.map((d) => d.id)).toEqual(['100', '3', '9', '10', '2']);
  });

  it('pours credits oldest first through the debits, splitting both where needed', () => {
    const plan = planAllocation(
      [debit('1', 'fixed', 300), debit('2', 'usage', 500), debit('3', 'usage', 100)],
      [
        { id: '7', occurredOn: '2026-10-02', freeFen: 250 },
        { id: '8', occurredOn: '2026-10-03', freeFen: 0 },
        { id: '9', occurredOn: '2026-10-04', freeFen: 400 },
      ],
    );
    expect(plan).toEqual([
      { creditEntryId: '7', debitEntryId: '1', amountFen: 250 },
      { creditEntryId: '9', debitEntryId: '1', amountFen: 50 },
      { creditEntryId: '9', debitEntryId: '2', amountFen: 350 },
    ]);
  });

  it('formats fen as yuan exactly', () => {
    expect([yuan(0), yuan(5), yuan(-7000), yuan(123456789012)]).toEqual([
      '0.00',
      '0.05',
      '-70.00',
      '1234567890.12',
    ]);
  });
});
