import { describe, expect, it } from 'vitest';
import { orderedUuid } from './ordered-ids.ts';

describe('orderedUuid', () => {
  it('is an RFC 9562 version 7 UUID carrying the milliseconds', () => {
    const id = orderedUuid(0x0190_1234_5678);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id.slice(0, 13)).toBe('01901234-5678');
  });

  it('increases strictly within a millisecond and past 4,096 ids in one', () => {
    const now = Date.now() + 10_000;
    const ids = Array.from({ length: 10_000 }, () => orderedUuid(now));
    expect(new Set(ids).size).toBe(10_000);
    expect([...ids].sort()).toEqual(ids);
    expect(Number.parseInt(ids[0].replace('-', '').slice(0, 12), 16)).toBe(now);
    // 10,000 ids in one millisecond borrow the next two
    expect(ids[9_999].slice(0, 13)).toBe(orderedUuid(now).slice(0, 13));
    expect(Number.parseInt(ids[9_999].replace('-', '').slice(0, 12), 16)).toBe(now + 2);
  });
});
