import { z } from 'zod';
import { tariffSchema } from './schema.ts';
import { usageSchema } from './usage-schema.ts';

/**
 * JSON Schemas (draft 2020-12) of the tariff and usage documents, for editors and clients. They
 * describe the shape; the cross-field rules (thresholds increasing, prices = thresholds + 1, bands
 * tiling the day, versions in order…) are checked by the engine and listed in docs/tariffs.md.
 */
export function tariffJsonSchemas(): { tariff: object; usage: object } {
  const opts = { io: 'input', unrepresentable: 'any' } as const;
  return {
    tariff: { title: 'Quadmeter tariff, format 1', ...z.toJSONSchema(tariffSchema, opts) },
    usage: { title: 'Quadmeter tariff usage', ...z.toJSONSchema(usageSchema, opts) },
  };
}
