import { rawReadingSchema } from '@quadmeter/sdk';
import { describe, expect, it } from 'vitest';
import { decimal, energyReading, wallToIso } from './readings.ts';

const base = {
  gateway: { a1: '3501', a2: 4 },
  pn: 3,
  receivedAt: '2026-06-14T02:00:05.000Z',
  utcOffsetMin: 480,
  tenantId: '00000000-0000-4000-8000-000000000001',
};

describe('readings from terminal data', () => {
  it('cuts decimals (never rounds), drops trailing zeros, gives null for negative and missing values', () => {
    expect(decimal(1234.5678, 2)).toBe('1234.56');
    expect(decimal(1234.5678, 4)).toBe('1234.5678');
    expect(decimal(0.999, 2)).toBe('0.99');
    expect(decimal(200.5, 4)).toBe('200.5');
    expect(decimal(300, 2)).toBe('300');
    expect(decimal(0, 2)).toBe('0');
    expect(decimal(-1.5, 2)).toBeNull();
    expect(decimal(null, 2)).toBeNull();
    expect(decimal(Number.NaN, 2)).toBeNull();
  });

  it('terminal wall time to an instant', () => {
    expect(wallToIso('2026-06-14 10:00', 480)).toBe('2026-06-14T02:00:00.000Z');
    expect(wallToIso('2026-06-14 10:00:30', 0)).toBe('2026-06-14T10:00:30.000Z');
    expect(wallToIso(null, 480)).toBeUndefined();
  });

  it('a fully EE point is a reading of nulls at the receive time; energyDecimals 4 keeps A.14 whole', () => {
    const none = energyReading(
      { ...base, kind: 'realtime', energyDecimals: 2 },
      { time: null, tariffCount: null, total_kWh: null, tariffs_kWh: [] },
    );
    expect(none.measuredAt).toBe(base.receivedAt);
    expect(none.registers).toEqual({
      activeImportTotal: null,
      activeImportT1: null,
      activeImportT2: null,
      activeImportT3: null,
      activeImportT4: null,
    });
    expect(rawReadingSchema.safeParse(none).success).toBe(true);
    const full = energyReading(
      { ...base, kind: 'daily', frozenFor: '2026-06-13', energyDecimals: 4 },
      { time: '2026-06-14 00:00', tariffCount: 2, total_kWh: 10.1234, tariffs_kWh: [4, 6.1234] },
    );
    expect(full).toMatchObject({
      kind: 'daily',
      frozenFor: '2026-06-13',
      measuredAt: '2026-06-13T16:00:00.000Z',
      idempotencyKey: 'gdw1376:3501-4:p3:daily:2026-06-13',
      registers: { activeImportTotal: '10.1234', activeImportT1: '4', activeImportT2: '6.1234' },
    });
    // tariffs the terminal did not send are left out, not invented
    expect('activeImportT3' in full.registers).toBe(false);
    expect(rawReadingSchema.safeParse(full).success).toBe(true);
  });
});
