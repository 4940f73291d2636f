import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { Money } from './money.ts';
import { divRound, type Rounding } from './rounding.ts';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : 'not an AppError';
  }
  return undefined;
}

const yuanText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 90_000_000_000_000n }), fc.integer({ min: 0, max: 2 }))
  .map(([neg, units, scale]) => {
    const s = units.toString().padStart(scale + 1, '0');
    const text = scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
    return {
      text: neg && units !== 0n ? `-${text}` : text,
      fen: Number((neg ? -units : units) * 10n ** BigInt(2 - scale)),
    };
  });

describe('Money.fromYuan / toYuan', () => {
  it('converts exactly', () => {
    expect(Money.fromYuan('12.34')).toBe(1234);
    expect(Money.fromYuan('0.1')).toBe(10);
    expect(Money.fromYuan('-0.05')).toBe(-5);
    expect(Money.fromYuan('1000')).toBe(100_000);
    expect(Money.toYuan(1234)).toBe('12.34');
    expect(Money.toYuan(-5)).toBe('-0.05');
    expect(Money.toYuan(0)).toBe('0.00');
  });

  it('refuses more than two decimals, junk and non-strings with REQ_VALIDATION', () => {
    for (const bad of ['1.234', '1e3', '', '12.', '.5', '1,000.00', 'NaN', ' - 1']) {
      expect(
        code(() => Money.fromYuan(bad)),
        bad,
      ).toBe('REQ_VALIDATION');
    }
    expect(code(() => Money.fromYuan(12.34 as unknown as string))).toBe('REQ_VALIDATION');
    expect(code(() => Money.fromYuan('90071992547409.92'))).toBe('REQ_VALIDATION');
  });

  it('round-trips every amount', () => {
    fc.assert(
      fc.property(yuanText, ({ text, fen }) => {
        expect(Money.fromYuan(text)).toBe(fen);
        expect(Money.fromYuan(Money.toYuan(fen))).toBe(fen);
      }),
    );
  });

  it('toYuan refuses a non-integer amount', () => {
    expect(code(() => Money.toYuan(1.5))).toBe('REQ_VALIDATION');
    expect(code(() => Money.toYuan(Number.MAX_SAFE_INTEGER + 1))).toBe('REQ_VALIDATION');
  });
});

describe('Money.add / sub / sum', () => {
  it('adds whole fen and refuses anything else', () => {
    expect(Money.add(150, 250)).toBe(400);
    expect(Money.sub(150, 250)).toBe(-100);
    expect(Money.sum([1, 2, 3, -6])).toBe(0);
    expect(Money.sum([])).toBe(0);
    expect(code(() => Money.add(0.1, 0.2))).toBe('REQ_VALIDATION');
    expect(code(() => Money.sum([1, Number.NaN]))).toBe('REQ_VALIDATION');
    expect(code(() => Money.add(Number.MAX_SAFE_INTEGER, 1))).toBe('REQ_VALIDATION');
  });

  it('sum agrees with BigInt addition', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e12, max: 1e12 })), (xs) => {
        expect(Money.sum(xs)).toBe(Number(xs.reduce((a, b) => a + BigInt(b), 0n)));
      }),
    );
  });
});

function decimalText(units: bigint, scale: number): string {
  const neg = units < 0n;
  const s = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
  return neg ? `-${body}` : body;
}

/** Reference: round (q × p × 100) with the rounding written out case by case. */
function reference(q: bigint, qs: number, p: bigint, ps: number, mode: Rounding): bigint {
  const num = q * p * 100n;
  const den = 10n ** BigInt(qs + ps);
  const sign = num < 0n ? -1n : 1n;
  const a = num * sign;
  const floor = a / den;
  const rem = a - floor * den;
  let r = floor;
  if (mode === 'up' && rem > 0n) r = floor + 1n;
  if (mode === 'half-up' && 2n * rem >= den) r = floor + 1n;
  if (mode === 'half-even' && (2n * rem > den || (2n * rem === den && floor % 2n !== 0n))) r = floor + 1n;
  return r * sign;
}

describe('Money.mulPrice', () => {
  it('prices a quantity exactly and rounds once', () => {
    expect(Money.mulPrice('100', '0.5283', 'half-up')).toBe(5283);
    expect(Money.mulPrice('12.345', '0.5283', 'half-up')).toBe(652); // 6.5218635 yuan
    expect(Money.mulPrice('1', '0.005', 'half-up')).toBe(1);
    expect(Money.mulPrice('1', '0.005', 'half-even')).toBe(0);
    expect(Money.mulPrice('1', '0.015', 'half-even')).toBe(2);
    expect(Money.mulPrice('1', '0.019999', 'down')).toBe(1);
    expect(Money.mulPrice('1', '0.010001', 'up')).toBe(2);
    expect(Money.mulPrice('-1', '0.005', 'half-up')).toBe(-1);
    expect(Money.mulPrice('3.5', '2.6', 'half-up')).toBe(910);
  });

  it('refuses bad input', () => {
    expect(code(() => Money.mulPrice('1', '0.1234567', 'half-up'))).toBe('REQ_VALIDATION');
    expect(code(() => Money.mulPrice('1e2', '1', 'half-up'))).toBe('REQ_VALIDATION');
    expect(code(() => Money.mulPrice('1', '1', 'nearest' as Rounding))).toBe('REQ_VALIDATION');
    expect(code(() => Money.mulPrice('999999999999', '999999', 'down'))).toBe('REQ_VALIDATION');
  });

  it('matches the BigInt reference for every rounding mode', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
        fc.integer({ min: 0, max: 3 }),
        fc.bigInt({ min: 0n, max: 10n ** 8n }),
        fc.integer({ min: 4, max: 6 }),
        fc.constantFrom<Rounding>('half-up', 'half-even', 'down', 'up'),
        (q, qs, p, ps, mode) => {
          const got = Money.mulPrice(decimalText(q, qs), decimalText(p, ps), mode);
          expect(got).toBe(Number(reference(q, qs, p, ps, mode)));
        },
      ),
    );
  });

  it('divRound lands within one unit of the quotient, half modes within half a unit', () => {
    const abs = (x: bigint) => (x < 0n ? -x : x);
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.constantFrom<Rounding>('half-up', 'half-even', 'down', 'up'),
        (n, d, mode) => {
          const q = divRound(n, d, mode);
          const err = abs(q * d - n);
          expect(err < d).toBe(true);
          if (mode.startsWith('half')) expect(2n * err <= d).toBe(true);
          if (mode === 'down') expect(abs(q * d) <= abs(n)).toBe(true);
          if (mode === 'up') expect(abs(q * d) >= abs(n)).toBe(true);
        },
      ),
    );
  });
});

describe('Money.allocate', () => {
  it('splits by weight with the largest remainder', () => {
    expect(Money.allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(Money.allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(Money.allocate(1000, ['85.5', '120.25', '0'])).toEqual([416, 584, 0]);
    expect(Money.allocate(5, [0, 3])).toEqual([0, 5]);
  });

  it('refuses empty, all-zero, negative and non-numeric weights', () => {
    expect(code(() => Money.allocate(100, []))).toBe('REQ_VALIDATION');
    expect(code(() => Money.allocate(100, [0, 0]))).toBe('REQ_VALIDATION');
    expect(code(() => Money.allocate(100, [1, -1]))).toBe('REQ_VALIDATION');
    expect(code(() => Money.allocate(100, [Number.POSITIVE_INFINITY]))).toBe('REQ_VALIDATION');
    expect(code(() => Money.allocate(100, ['x']))).toBe('REQ_VALIDATION');
    expect(code(() => Money.allocate(1.5, [1]))).toBe('REQ_VALIDATION');
  });

  it('always sums to the total, each part within one fen of its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc
          .array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 30 })
          .filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = Money.allocate(total, weights);
          expect(parts).toHaveLength(weights.length);
          expect(Money.sum(parts)).toBe(total);
          const wsum = weights.reduce((a, b) => a + b, 0);
          parts.forEach((p, i) => {
            const exact = (total * weights[i]) / wsum;
            expect(Math.abs(p - exact)).toBeLessThan(1 + 1e-6 * Math.abs(total));
            if (weights[i] === 0) expect(p).toBe(0);
          });
        },
      ),
    );
  });
});

describe('Money.format', () => {
  it('formats as yuan for the locale', () => {
    expect(Money.format(123456, 'zh-CN')).toBe('¥1,234.56');
    expect(Money.format(-5, 'zh-CN')).toBe('-¥0.05');
    expect(Money.format(123456, 'en')).toMatch(/^CN¥1,234\.56$/);
  });
});
