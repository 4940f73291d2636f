import { AppError } from '@quadmeter/sdk';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, likeFragment, pageOf } from './list-kit.ts';

const id = '5d6aef95-b6c4-4563-9470-c963d8565ddc';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : 'not an AppError';
  }
  return undefined;
}

describe('list kit', () => {
  it('round-trips a cursor for its own sort only', () => {
    const c = encodeCursor('-name', '王明', id);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c, '-name')).toEqual({ key: '王明', id });
    expect(code(() => decodeCursor(c, 'name'))).toBe('LIST_CURSOR_INVALID');
  });

  it('refuses forged cursors', () => {
    const forge = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');
    for (const bad of [
      '',
      'not base64!',
      forge({ s: 'number', k: 'x', i: 'not-a-uuid' }),
      forge({ s: 'number', k: { evil: 1 }, i: id }),
      forge({ s: 'number', k: 'a\u0000', i: id }),
      forge({ s: 'number', k: Number.NaN, i: id }),
      forge(null),
      Buffer.from('{').toString('base64url'),
    ])
      expect(
        code(() => decodeCursor(bad, 'number')),
        bad,
      ).toBe('LIST_CURSOR_INVALID');
  });

  it('makes a next cursor only when a further row was fetched', () => {
    const rows = [1, 2, 3].map((n) => ({ n, id }));
    const count = { total: 3, totalIsEstimate: false };
    const full = pageOf(
      rows,
      2,
      'number',
      (r) => ({ key: r.n, id: r.id }),
      (r) => r.n,
      count,
    );
    expect(full.items).toEqual([1, 2]);
    expect(decodeCursor(full.next!, 'number')).toEqual({ key: 2, id });
    const last = pageOf(
      rows,
      3,
      'number',
      (r) => ({ key: r.n, id: r.id }),
      (r) => r.n,
      count,
    );
    expect(last).toEqual({ items: [1, 2, 3], next: null, total: 3, totalIsEstimate: false });
  });

  it('escapes LIKE wildcards in a search fragment', () => {
    expect(likeFragment('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
