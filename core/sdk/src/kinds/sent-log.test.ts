import { describe, expect, it } from 'vitest';
import { SentLog } from './sent-log.ts';

describe('SentLog', () => {
  it('delivers an id once, forgets the oldest past its limit and anything past its age', async () => {
    let now = 0;
    let delivered = 0;
    const log = new SentLog(2, 1_000, () => now);
    const deliver = async () => `p${++delivered}`;
    expect(await log.once('a', deliver)).toEqual({ duplicate: false, providerId: 'p1' });
    expect(await log.once('a', deliver)).toEqual({ duplicate: true, providerId: 'p1' });
    await log.once('b', deliver);
    await log.once('c', deliver);
    expect(log.size).toBe(2);
    expect(await log.once('a', deliver)).toEqual({ duplicate: false, providerId: 'p4' });
    now = 1_000;
    expect((await log.once('a', deliver)).duplicate).toBe(false);
    expect(delivered).toBe(5);
  });

  it('records nothing for a failed delivery; a concurrent caller sees the same failure', async () => {
    const log = new SentLog();
    let calls = 0;
    const boom = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 10));
      throw new Error('busy');
    };
    const results = await Promise.allSettled([log.once('x', boom), log.once('x', boom)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    expect(await log.once('x', async () => 'ok')).toEqual({ duplicate: false, providerId: 'ok' });
  });
});
