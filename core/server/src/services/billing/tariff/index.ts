export {
  exactLines,
  parseTariff,
  parseUsage,
  type Quote,
  type QuoteLine,
  quote,
  quoteJson,
} from './quote.ts';
export { type Tariff, tariffSchema } from './schema.ts';
export { bandAt } from './tou.ts';
export { type Usage, type UsageInput, usageSchema } from './usage-schema.ts';
