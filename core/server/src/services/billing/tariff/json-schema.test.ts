import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { examplesDir } from './examples.ts';
import { tariffJsonSchemas } from './json-schema.ts';

describe('tariff JSON Schemas', () => {
  it('docs/tariffs/schema/ holds what `quadmeter tariff schema` prints today', () => {
    const fresh = tariffJsonSchemas();
    for (const which of ['tariff', 'usage'] as const) {
      const committed = JSON.parse(readFileSync(`${examplesDir}schema/${which}.schema.json`, 'utf8'));
      // stale: run `npx quadmeter tariff schema ${which} > docs/tariffs/schema/${which}.schema.json`
      expect(committed, which).toEqual(JSON.parse(JSON.stringify(fresh[which])));
    }
    expect(JSON.stringify(fresh.tariff)).toContain('"heat-two-part"');
  });
});
