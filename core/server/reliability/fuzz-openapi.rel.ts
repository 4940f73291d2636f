import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../test/platform.ts';
import { caseArbitrary, type FuzzCase, type OpenApiDoc, operations, resolver } from './support/fuzz-cases.ts';

// Every operation of /api/openapi.json gets malformed requests (fast-check, fixed seed): bad path
// ids, bad query values, broken JSON, wrong types, NUL bytes, huge strings and numbers, unknown
// fields. Each answer is a 4xx in the standard error shape without a stack trace, and no row of any
// table changed. QUADMETER_FUZZ_RUNS requests per operation (default 40), seed QUADMETER_FUZZ_SEED.
const RUNS = Number(process.env.QUADMETER_FUZZ_RUNS ?? 40);
const SEED = Number(process.env.QUADMETER_FUZZ_SEED ?? 20261201);
// operations that take no input the fuzz could spoil are listed by the test, with nothing sent;
// logout is left out: a malformed logout still ends the session the fuzz runs in
const LEFT_OUT = new Set(['POST /api/v1/auth/logout']);
// tables the platform's own schedules write while the fuzz runs (the prepaid tick opens the day's
// deduction run at its hour), whatever the requests do
const BACKGROUND = new Set(['prepaid_deduction_runs']);

let p: TestPlatform;
let admin: Client;
let sql: postgres.Sql;

beforeAll(async () => {
  p = await startTestPlatform({ QUADMETER_BODY_LIMIT_KB: '64' });
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  sql = postgres(p.running.platform.database.url, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await sql?.end();
  await p?.stop();
});

/** Exact row counts of every table of the schema (partitions through their parents). */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }[]>`select c.relname as name from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
    order by 1`;
  const parts = tables.map((t) => `select '${t.name}' as name, count(*)::int as n from "${t.name}"`);
  const rows = await sql.unsafe<{ name: string; n: number }[]>(parts.join(' union all '));
  return Object.fromEntries(rows.filter((r) => !BACKGROUND.has(r.name)).map((r) => [r.name, r.n]));
}

let retried = 0;

/**
 * One request. After an over-limit body the server answers 413 and closes the connection; a
 * request that raced onto that closing keep-alive socket fails in the client ("other side
 * closed") and is sent once more (counted and printed); a server that died fails again.
 */
async function send(c: FuzzCase) {
  try {
    return await sendOnce(c);
  } catch {
    retried++;
    return await sendOnce(c);
  }
}

async function sendOnce(c: FuzzCase) {
  const headers: Record<string, string> = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
  if (c.body !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
  const res = await fetch(p.baseUrl + c.url, { method: c.method, headers, body: c.body });
  const text = await res.text();
  return { status: res.status, text };
}

function check(c: FuzzCase, r: { status: number; text: string }): string | undefined {
  const where = `${c.method} ${c.url.slice(0, 120)} (${c.what})`;
  if (r.status < 400 || r.status > 499) return `${where}: ${r.status} ${r.text.slice(0, 200)}`;
  let body: { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
  try {
    body = JSON.parse(r.text);
  } catch {
    return `${where}: ${r.status} not JSON: ${r.text.slice(0, 120)}`;
  }
  const e = body.error;
  if (typeof e?.code !== 'string' || !/^[A-Z]+(_[A-Z0-9]+)+$/.test(e.code))
    return `${where}: no stable code ${r.text.slice(0, 200)}`;
  if (typeof e.message !== 'string' || typeof e.requestId !== 'string')
    return `${where}: not the standard shape ${r.text.slice(0, 200)}`;
  if (/\bat .*\.(ts|js|mjs):\d+/.test(r.text) || /node_modules|\/work\//.test(r.text))
    return `${where}: a stack trace or path leaked ${r.text.slice(0, 200)}`;
  return undefined;
}

describe('fuzz of every public endpoint from the OpenAPI document', () => {
  it('answers malformed input with a 4xx in the standard shape and writes nothing', async () => {
    const docRes = await fetch(`${p.baseUrl}/api/openapi.json`);
    expect(docRes.status).toBe(200);
    const doc = (await docRes.json()) as OpenApiDoc;
    const resolve = resolver(doc);
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(150);
    const failures: string[] = [];
    const untouched: string[] = [];
    const codes = new Map<string, number>();
    let sent = 0;
    for (const [i, op] of ops.entries()) {
      const id = `${op.method} ${op.path}`;
      const arb = LEFT_OUT.has(id) ? undefined : caseArbitrary(op, resolve);
      if (!arb) {
        untouched.push(id);
        continue;
      }
      const before = await rowCounts();
      const seen: string[] = [];
      await fc.assert(
        fc.asyncProperty(arb, async (c) => {
          const r = await send(c).catch((e: Error) => ({ status: 0, text: `${e.message}: ${e.cause}` }));
          sent++;
          const code = /"code":"([A-Z0-9_]+)"/.exec(r.text)?.[1] ?? String(r.status);
          codes.set(code, (codes.get(code) ?? 0) + 1);
          const bad = check(c, r);
          if (bad) seen.push(bad);
        }),
        { seed: SEED + i, numRuns: RUNS },
      );
      failures.push(...seen.slice(0, 3));
      const after = await rowCounts();
      const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
      if (changed.length) failures.push(`${id}: rows changed in ${changed.join(', ')}`);
    }
    const summary = [...codes.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`);
    console.log(
      `fuzz: ${ops.length} operations, ${sent} malformed requests (seed ${SEED}, ${RUNS} per operation, ${retried} resent after a closed keep-alive socket); answers: ${summary.join(', ')}; no input to spoil: ${untouched.join(', ')}`,
    );
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(ops.length * RUNS * 0.5);
  }, 300_000);
});
