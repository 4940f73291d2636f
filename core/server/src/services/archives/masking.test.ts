import { describe, expect, it } from 'vitest';
import type { Actor } from '../identity/actor.ts';
import { maskIdNumber, maskPhone, maskPii } from './masking.ts';

const actor = (permissions: string[]): Actor => ({
  kind: 'user',
  id: '00000000-0000-4000-8000-000000000001',
  name: 'u',
  displayName: 'u',
  locale: 'zh-CN',
  tenantId: '00000000-0000-4000-8000-000000000002',
  permissions: new Set(permissions),
  areaScope: null,
});

describe('masking', () => {
  it('keeps the first 3 and last 4 digits of a phone, the first and last 4 of an ID number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskIdNumber('350102199001011234')).toBe('3501**********1234');
    expect(maskIdNumber('35010219900101123X')).toBe('3501**********123X');
    expect(maskPhone('0591-87654321')).toBe('059******4321');
  });

  it('stars short values entirely and passes null through', () => {
    expect(maskPhone('1234567')).toBe('*******');
    expect(maskIdNumber('12345678')).toBe('********');
    expect(maskPhone(null)).toBeNull();
  });

  it('masks only the PII keys, and only for actors without customers.pii', () => {
    const row = { name: '张三', phone: '13812345678', idNumber: '350102199001011234', address: 'x' };
    expect(maskPii(actor(['customers.read']), row)).toEqual({
      name: '张三',
      phone: '138****5678',
      idNumber: '3501**********1234',
      address: 'x',
    });
    expect(maskPii(actor(['customers.read', 'customers.pii']), row)).toBe(row);
    expect(maskPii(actor([]), null)).toBeNull();
    expect(maskPii(actor([]), { phone: null })).toEqual({ phone: null });
  });
});
