import { readFileSync } from 'node:fs';
import { AppError, type ErrorCode } from '@quadmeter/sdk';
import { parseTariff, parseUsage, quote } from '../services/billing/tariff/index.ts';
import { parseCommand, text, usage } from './args.ts';

const USAGE =
  'quadmeter tariff quote --tariff <tariff.json> --usage <usage.json> | quadmeter tariff schema <tariff|usage>';

/** A JSON file's content, or FILE_UNREADABLE / the given code for text that is not JSON. */
function readJson(path: string, what: string, invalid: ErrorCode): unknown {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'unknown';
    throw new AppError('FILE_UNREADABLE', `cannot read the ${what} file ${path} (${code})`);
  }
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new AppError(invalid, `the ${what} file ${path} is not JSON: ${(e as Error).message}`);
  }
}

/** Problems as one line: "path: message; path: message". */
function withDetails(e: AppError, file: string): AppError {
  const details = Array.isArray(e.details) ? (e.details as { path: string; message: string }[]) : [];
  const listed = details
    .slice(0, 10)
    .map((d) => `${d.path}: ${d.message}`)
    .join('; ');
  return new AppError(e.code, `${file}: ${e.message}${listed ? ` — ${listed}` : ''}`, e.details);
}

/** `quadmeter tariff quote`: the bill lines and the total in fen as JSON on stdout. */
export async function tariffCommand(args: string[]): Promise<number> {
  if (args[0] === 'schema') {
    const which = parseCommand('tariff schema', args.slice(1)).positionals;
    if (which.length !== 1 || (which[0] !== 'tariff' && which[0] !== 'usage')) throw usage(USAGE);
    const { tariffJsonSchemas } = await import('../services/billing/tariff/json-schema.ts');
    console.log(JSON.stringify(tariffJsonSchemas()[which[0]], null, 2));
    return 0;
  }
  const p = parseCommand('tariff quote', args, { tariff: { type: 'string' }, usage: { type: 'string' } });
  const [tariffPath, usagePath] = [text(p, 'tariff'), text(p, 'usage')];
  if (p.positionals[0] !== 'quote' || p.positionals.length !== 1 || !tariffPath || !usagePath)
    throw usage(USAGE);
  const tariffJson = readJson(tariffPath, 'tariff', 'TARIFF_INVALID');
  const usageJson = readJson(usagePath, 'usage', 'TARIFF_USAGE_INVALID');
  let tariff: ReturnType<typeof parseTariff>;
  let used: ReturnType<typeof parseUsage>;
  try {
    tariff = parseTariff(tariffJson);
  } catch (e) {
    throw e instanceof AppError ? withDetails(e, tariffPath) : e;
  }
  try {
    used = parseUsage(usageJson);
  } catch (e) {
    throw e instanceof AppError ? withDetails(e, usagePath) : e;
  }
  try {
    console.log(JSON.stringify(quote(tariff, used), null, 2));
  } catch (e) {
    throw e instanceof AppError ? withDetails(e, usagePath) : e;
  }
  return 0;
}
