import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { tooShortForTrigrams } from './search.ts';

/**
 * The search key (migrations/0003 search_key / search_pattern): locale-independent, with trigrams
 * for Chinese text, and "key of a contains key of b" exactly when the folded text of a contains
 * the folded text of b — so a fragment never matches across character boundaries.
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

/** The folding the key stands for: NFKC, no backslashes, ASCII upper case to lower case. */
const fold = (s: string) =>
  s
    .normalize('NFKC')
    .replaceAll('\\', '')
    .replace(/[A-Z]/g, (c) => c.toLowerCase());

describe('search_key', () => {
  it('spells non-ASCII characters in ASCII letters, so pg_trgm sees trigrams in Chinese under any locale', async () => {
    const [row] = await t.database.sql`
      select search_key('张三丰') as key,
        cardinality(show_trgm(search_key('三丰'))) as key_trigrams,
        cardinality(show_trgm(search_key('东区'))) as addr_trigrams`;
    // 张 E5 BC A0, 三 E4 B8 89, 丰 E4 B8 B0 (octal 345 274 240 …): each character as Q, then the
    // last two octal digits of each of its bytes (lead bytes are all 3xx, continuations all 2xx)
    expect(row.key).toBe('Q457440Q447011Q447060');
    expect(row.key_trigrams).toBeGreaterThan(5);
    expect(row.addr_trigrams).toBeGreaterThan(5);
  });

  it('folds ASCII case and full-width forms, spells digits as letters, drops backslashes, escapes LIKE metacharacters', async () => {
    const [row] = await t.database.sql`
      select search_key('W-00AB') as a, search_key('ＷＡＴＥＲ１２') as b, search_key(${'a\tb\u007fc'}) as c,
        search_pattern('50%_\\') as p, search_key('𠀀') as astral`;
    expect(row).toEqual({
      a: 'w-AAab',
      b: 'waterBC',
      c: 'a\tb\u007fc',
      p: '%FA\\%\\_%',
      astral: 'Q60400000',
    });
  });

  it('a key contains another exactly when the folded texts do (no match across characters)', async () => {
    const alphabet = fc.constantFrom(
      'a',
      'B',
      'q',
      'Q',
      '\t',
      '3',
      '0',
      '9',
      '-',
      ' ',
      '%',
      '_',
      '\\',
      '张',
      '三',
      '丰',
      'Ａ',
      'é',
      '𠀀',
      '号',
    );
    const text = fc.array(alphabet, { maxLength: 8 }).map((xs) => xs.join(''));
    await fc.assert(
      fc.asyncProperty(text, text, async (a, b) => {
        const [row] = await t.database.sql`select search_key(${a}) like search_pattern(${b}) as hit`;
        expect(row.hit).toBe(fold(a).includes(fold(b)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('search_key as migration 0023 inlines it', () => {
  /** The spelling of migrations 0003/0008, with the STABLE conversion that kept it from being inlined. */
  const converting = (x: string) =>
    t.database.sql`select replace(replace(encode(convert_to(translate(lower(normalize(${x}::text, NFKC)),
      '0123456789\\', 'ABCDEFGHIJ'), 'UTF8'), 'escape'), '\\2', ''), '\\3', 'Q') as key`;

  it("gives the converting form's key for every text, ASCII or not, and NULL for NULL", async () => {
    const alphabet = fc.constantFrom(
      'a',
      'Z',
      '0',
      '7',
      '\\',
      '\t',
      '\u007f',
      '%',
      '张',
      'Ａ',
      '１',
      'é',
      '𠀀',
      'ﬁ',
      ' ',
    );
    const text = fc.array(alphabet, { maxLength: 10 }).map((xs) => xs.join(''));
    await fc.assert(
      fc.asyncProperty(text, async (x) => {
        const [mine] = await t.database.sql`select search_key(${x}) as key`;
        const [reference] = await converting(x);
        expect(mine.key).toBe(reference.key);
      }),
      { numRuns: 300 },
    );
    const [row] = await t.database.sql`select search_key(null) as key`;
    expect(row.key).toBeNull();
  });

  it('is inlined into the statements that call it (no function call per key)', async () => {
    const plan = await t.database.sql.unsafe(
      `explain verbose select meter_search_key(relname::text, relname::text) from pg_class`,
    );
    const output = plan.map((r) => r['QUERY PLAN'] as string).join('\n');
    expect(output).toContain('octet_length');
    expect(output).not.toContain('search_key(');
  });
});

describe('tooShortForTrigrams', () => {
  it('is true only for keys under three characters (a non-ASCII character spells as five)', () => {
    expect(['', 'a', 'ab', '%', 'Ａ１', 'a\\b'].map(tooShortForTrigrams)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['abc', '张', '3号', 'W-1'].map(tooShortForTrigrams)).toEqual([false, false, false, false]);
  });
});
