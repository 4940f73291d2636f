import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onlyProtocolErrors } from '../common/fuzz-support.ts';
import {
  chirpstackFixtures,
  ctwingFixtures,
  iotdaFixtures,
  oneNetFixtures,
  oneNetToken,
} from './fixtures.ts';
import {
  decodeDeviceBytes,
  parseChirpstack,
  parseCtwing,
  parseIotda,
  parseOneNet,
  verifyOneNetUrl,
} from './index.ts';

const parsers: [string, (b: unknown) => unknown][] = [
  ['chirpstack', (b) => parseChirpstack(b, 'up')],
  ['chirpstack status', (b) => parseChirpstack(b, 'status')],
  ['ctwing', parseCtwing],
  ['onenet', (b) => parseOneNet(b, oneNetToken)],
  ['iotda', (b) => parseIotda(b)],
  ['onenet url', (b) => verifyOneNetUrl(b as Record<string, unknown>, oneNetToken)],
];

const seeds: unknown[] = [
  chirpstackFixtures.up,
  chirpstackFixtures.status,
  ...Object.values(ctwingFixtures),
  ...Object.values(iotdaFixtures),
  oneNetFixtures.studio,
  JSON.parse(oneNetFixtures.classicText),
];

/** Replaces one value somewhere in a JSON tree. */
function mutateAt(tree: unknown, path: number[], value: unknown): unknown {
  if (path.length === 0 || tree === null || typeof tree !== 'object') return value;
  const entries = Object.entries(tree as Record<string, unknown>);
  if (entries.length === 0) return value;
  const [k, v] = entries[path[0] % entries.length];
  const copy: Record<string, unknown> | unknown[] = Array.isArray(tree) ? [...tree] : { ...(tree as object) };
  (copy as Record<string, unknown>)[k] = mutateAt(v, path.slice(1), value);
  return copy;
}

describe('push fuzz: only ProtocolError ever escapes', () => {
  it('random JSON values and text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string(), fc.anything()), (v) => {
        for (const [, p] of parsers) onlyProtocolErrors(() => p(v));
      }),
      { numRuns: 3000 },
    );
  });

  it('fixture bodies with a value replaced by the wrong type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.oneof(fc.jsonValue(), fc.constant(undefined)),
        (seed, path, value) => {
          const body = mutateAt(seed, path, value);
          for (const [, p] of parsers) onlyProtocolErrors(() => p(body));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('truncated and corrupted body text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds.map((s) => JSON.stringify(s))),
        fc.nat(),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 1 }),
        (text, cut, at, ch) => {
          const t1 = text.slice(0, cut % (text.length + 1));
          const i = at % text.length;
          const t2 = text.slice(0, i) + ch + text.slice(i + 1);
          for (const [, p] of parsers) {
            onlyProtocolErrors(() => p(t1));
            onlyProtocolErrors(() => p(t2));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('device bytes: decodeDeviceBytes never rejects', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 80 }), async (b) => {
        const r = await decodeDeviceBytes(b);
        expect(['cjt188', 'dlt645', 'mbus', 'unknown']).toContain(r.protocol);
      }),
      { numRuns: 2000 },
    );
  });
});
