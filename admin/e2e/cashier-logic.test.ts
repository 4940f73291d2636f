import { describe, expect, it } from 'vitest';
import { checkTender, moveIndex } from '../src/views/payments/counter-keys.ts';

// The counter page's helpers: the arrow keys' selection and the check of the form before submit.

describe('moveIndex', () => {
  it('moves within the list and stops at its ends', () => {
    expect(moveIndex(0, 1, 3)).toBe(1);
    expect(moveIndex(2, 1, 3)).toBe(2);
    expect(moveIndex(0, -1, 3)).toBe(0);
    expect(moveIndex(-1, 1, 0)).toBe(-1);
  });
});

describe('checkTender', () => {
  const cash = { method: 'cash' as const, amountYuan: '88.5', tenderedYuan: '100', terminalRef: '' };

  it('gives the change of a cash payment in fen, exactly', () => {
    expect(checkTender(cash)).toEqual({ ok: true, amountFen: '8850', tenderedFen: '10000', changeFen: '1150' });
    expect(checkTender({ ...cash, amountYuan: '0.1', tenderedYuan: '0.3' })).toEqual({
      ok: true,
      amountFen: '10',
      tenderedFen: '30',
      changeFen: '20',
    });
  });

  it('takes an empty tendered as the exact amount', () => {
    expect(checkTender({ ...cash, tenderedYuan: '' })).toEqual({
      ok: true,
      amountFen: '8850',
      tenderedFen: '8850',
      changeFen: '0',
    });
  });

  it('refuses bad amounts, short cash and a card payment without its receipt number', () => {
    expect(checkTender({ ...cash, amountYuan: '0' })).toEqual({ ok: false, reason: 'badAmount' });
    expect(checkTender({ ...cash, amountYuan: '1.234' })).toEqual({ ok: false, reason: 'badAmount' });
    expect(checkTender({ ...cash, amountYuan: 'abc' })).toEqual({ ok: false, reason: 'badAmount' });
    expect(checkTender({ ...cash, tenderedYuan: '88.49' })).toEqual({ ok: false, reason: 'shortTender' });
    expect(checkTender({ ...cash, method: 'card' })).toEqual({ ok: false, reason: 'terminalRef' });
    expect(checkTender({ ...cash, method: 'card', terminalRef: 'T-1' })).toEqual({
      ok: true,
      amountFen: '8850',
      changeFen: '0',
    });
  });
});
