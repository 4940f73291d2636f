import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTariff } from './quote.ts';
import type { Tariff } from './schema.ts';

/** The example tariffs of docs/tariffs/, the same files `quadmeter tariff quote` reads. */
export const examplesDir = fileURLToPath(new URL('../../../../../../docs/tariffs/', import.meta.url));

export const exampleNames = (): string[] =>
  readdirSync(examplesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();

export function exampleJson(name: string): unknown {
  return JSON.parse(readFileSync(`${examplesDir}${name}.json`, 'utf8'));
}

export const example = (name: string): Tariff => parseTariff(exampleJson(name));
