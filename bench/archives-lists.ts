// The list and search part of bench/archives.ts: p50/p99 of the meter list (area subtree + kind +
// status, sorted, keyset pages), of a scoped user's meter list, of meter and customer searches
// (ASCII and Chinese fragments) and of the customer list, each through its real HTTP route (the
// platform served on loopback, logged-in users, RLS as migrated), interleaved with GET /healthz
// over the same HTTP as the baseline.
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../core/server/src/db/client.ts';
import { rows, type Tree } from './archives-build.ts';
import { type HttpClient, logIn } from './archives-http.ts';

type InTenant = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

const KINDS = ['meter-water', 'meter-power', 'meter-gas', 'meter-heat'] as const;
const pct = (xs: number[], q: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : Number.NaN;

interface Samples {
  name: string;
  xs: number[];
  rows: number;
}

export interface ListBenchOptions {
  db: Database;
  tenantId: string;
  inTenant: InTenant;
  tree: Tree;
  requests: number;
  budgetMs: number;
  explain: boolean;
  /** the platform served over the bench database, and the tenant's admin to log in as */
  url: string;
  tenantCode: string;
  password: string;
}

/** Users scoped to one community each (a role with the read permissions), logged in. */
async function scopedUsers(o: ListBenchOptions, admin: HttpClient, count: number): Promise<HttpClient[]> {
  const role = await admin.call('POST', '/api/v1/roles', {
    name: '压测只读',
    permissions: ['meters.read', 'customers.read'],
  });
  const out: HttpClient[] = [];
  for (let i = 0; i < Math.min(count, o.tree.communities.length); i++) {
    const username = `scoped${i}`;
    await admin.call('POST', '/api/v1/users', {
      username,
      displayName: username,
      password: `${username}-password`,
      roleIds: [role.id],
      areaIds: [o.tree.communities[i].id],
    });
    out.push(await logIn(o.url, o.tenantCode, username, `${username}-password`));
  }
  return out;
}

/** Measures the lists and searches; returns the worst p99 of the list and search lines. */
export async function measureListsAndSearch(o: ListBenchOptions): Promise<number> {
  const { inTenant, tree } = o;
  let seed = 7;
  const rnd = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % k;
  };
  const sampleMeters = await inTenant((tx) =>
    rows<{ asset_no: string; comm_address: string }>(
      tx,
      sql`select asset_no, comm_address from meters order by md5(id::text) limit ${o.requests}`,
    ),
  );
  const sampleCustomers = await inTenant((tx) =>
    rows<{ name: string; address: string; phone: string; number: string }>(
      tx,
      sql`select name, address, phone, number from customers order by md5(id::text) limit ${o.requests}`,
    ),
  );
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length];
  // ASCII: 7 characters from inside an asset number, or the last 8 digits of an address
  const meterAscii = (i: number) => {
    const m = pick(sampleMeters, i);
    return i % 2 ? m.asset_no.slice(3, 10) : m.comm_address.slice(-8);
  };
  // Chinese: a customer's name, or the building, unit and room of the address (e.g. 3号楼 2单元 0501)
  const customerChinese = (i: number) => {
    const c = pick(sampleCustomers, i);
    return i % 2 ? c.name : c.address.split(' ').slice(1).join(' ');
  };
  const customerAscii = (i: number) => {
    const c = pick(sampleCustomers, i);
    return i % 2 ? c.phone.slice(-8) : c.number.slice(-6);
  };
  const areaFor = (i: number) =>
    i % 2 ? pick(tree.communities, rnd(1 << 20)).id : pick(tree.buildings, rnd(1 << 20)).id;
  const admin = await logIn(o.url, o.tenantCode, 'admin', o.password);
  const scoped = await scopedUsers(o, admin, 8);

  const lines: Samples[] = [
    { name: 'GET /healthz (HTTP baseline)', xs: [], rows: 0 },
    { name: 'meter list: subtree+kind+status, page 1+2', xs: [], rows: 0 },
    { name: 'meter list: scoped user, kind, page 1+2', xs: [], rows: 0 },
    { name: 'meter search ASCII (asset no / address)', xs: [], rows: 0 },
    { name: 'customer search Chinese (name / address)', xs: [], rows: 0 },
    { name: 'customer search ASCII (number / phone)', xs: [], rows: 0 },
    { name: 'customer list: subtree, by number, page 1+2', xs: [], rows: 0 },
  ];
  const [healthz, meterList, scopedList, meterSearch, custChinese, custAscii, custList] = lines;
  const q = (params: Record<string, string | undefined>) =>
    new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  /** one request, timed from the call to the parsed body */
  const timed = async (s: Samples | null, who: HttpClient, path: string) => {
    const t = performance.now();
    const body = await who.call('GET', path);
    const ms = performance.now() - t;
    if (s) {
      s.xs.push(ms);
      s.rows += body.items?.length ?? 0;
    }
    return body as { next?: string | null };
  };
  /** pages 1 and 2 of a list (each its own request and sample) */
  const pages = async (s: Samples | null, who: HttpClient, base: string, params: Record<string, string>) => {
    let after: string | undefined;
    for (let k = 0; k < 2; k++) {
      const page = await timed(s, who, `${base}?${q({ ...params, limit: '50', after })}`);
      after = page.next ?? undefined;
      if (!after) break;
    }
  };

  const round = async (i: number, record: boolean) => {
    const r = <T>(s: T) => (record ? s : null);
    await timed(r(healthz), admin, '/healthz');
    await pages(r(meterList), admin, '/api/v1/meters', {
      areaId: areaFor(i),
      kind: KINDS[rnd(4)],
      status: 'installed',
    });
    await pages(r(scopedList), pick(scoped, rnd(1 << 20)), '/api/v1/meters', { kind: KINDS[rnd(4)] });
    await timed(r(meterSearch), admin, `/api/v1/meters?${q({ q: meterAscii(i), limit: '50' })}`);
    await timed(r(custChinese), admin, `/api/v1/customers?${q({ q: customerChinese(i), limit: '50' })}`);
    await timed(r(custAscii), admin, `/api/v1/customers?${q({ q: customerAscii(i), limit: '50' })}`);
    await pages(r(custList), admin, '/api/v1/customers', { areaId: areaFor(i + 1) });
  };
  for (let i = 0; i < 10; i++) await round(i, false);
  const start = performance.now();
  let done = 0;
  while (done < o.requests && performance.now() - start < o.budgetMs) await round(done++, true);

  console.log(
    '\n== lists and searches through their HTTP routes (loopback, logged-in users, FORCE RLS as migrated)',
  );
  console.log(
    `each line one request (pages 1 and 2 are two), timed from fetch to parsed body: ${done} rounds, interleaved with GET /healthz` +
      (done < o.requests ? `, stopped by the ${o.budgetMs / 1000} s budget` : ''),
  );
  console.log(
    'request                                        p50 ms   p99 ms   p50 ÷ healthz    p99 ÷ healthz    p99 < 50 ms',
  );
  const b50 = pct(healthz.xs, 0.5);
  const b99 = pct(healthz.xs, 0.99);
  for (const s of lines) {
    const p50 = pct(s.xs, 0.5);
    const p99 = pct(s.xs, 0.99);
    console.log(
      `${s.name.padEnd(45)} ${p50.toFixed(2).padStart(7)}  ${p99.toFixed(2).padStart(7)}  ${(p50 / b50).toFixed(1).padStart(15)}  ${(p99 / b99).toFixed(1).padStart(15)}   ${s === healthz ? '' : p99 < 50 ? 'met' : 'missed'}`.trimEnd(),
    );
  }
  console.log(
    `(rows returned: ${lines
      .slice(1)
      .map((s) => `${s.name.split(':')[0].split(' (')[0]} ${s.rows}`)
      .join(', ')})`,
  );
  const worst = Math.max(...lines.slice(1).map((s) => pct(s.xs, 0.99)));
  console.log(
    `goal: p99 < 50 ms for every list and search line: ${worst < 50 ? 'met' : 'missed'} (worst p99 ${worst.toFixed(1)} ms)`,
  );
  await before(o, meterAscii, customerChinese);
  if (o.explain) await explainSearches(o, meterAscii(1), customerChinese(1));
  return worst;
}

/**
 * The same searches as an `ilike` on the RLS'd tables (the form before migration 0003), a few
 * times only: at 1M rows each is a scan of the tenant.
 */
async function before(
  o: ListBenchOptions,
  meterAscii: (i: number) => string,
  chinese: (i: number) => string,
) {
  const xs: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < 5 && performance.now() - t0 < o.budgetMs / 4; i++) {
    const t = performance.now();
    await o.inTenant(async (tx) => {
      const m = `%${meterAscii(i)}%`;
      const c = `%${chinese(i)}%`;
      await tx.execute(
        sql`select id from meters where asset_no ilike ${m} or comm_address ilike ${m} order by asset_no limit 51`,
      );
      await tx.execute(
        sql`select id from customers where number ilike ${c} or name ilike ${c} or address ilike ${c} order by number limit 51`,
      );
    });
    xs.push(performance.now() - t);
  }
  console.log(
    `reference, the pre-0003 form (ilike on the RLS'd tables, meter + customer search in one transaction, ${xs.length} runs): p50 ${pct(xs, 0.5).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`,
  );
}

/** EXPLAIN ANALYZE of the queries inside the search functions, run as their owner would. */
async function explainSearches(o: ListBenchOptions, meterQ: string, customerQ: string) {
  const show = async (title: string, q: ReturnType<typeof sql>) => {
    const plan = await o.db.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('app.tenant_id', ${o.tenantId}, true)`);
      return rows<{ 'QUERY PLAN': string }>(tx, sql`explain (analyze, buffers, costs off) ${q}`);
    });
    console.log(`\n-- ${title}`);
    for (const r of plan) console.log(r['QUERY PLAN']);
  };
  await show(
    `meter_search_ids(${meterQ}) inner query`,
    sql`select meter_id from meter_search where (tenant_id = ${o.tenantId}::uuid) is true and key like search_pattern(${meterQ}) limit 10001`,
  );
  await show(
    `customer_search_ids(any+phone, ${customerQ}) inner query`,
    sql`select customer_id from customer_search where (tenant_id = ${o.tenantId}::uuid) is true and (number_key like search_pattern(${customerQ})
      or name_key like search_pattern(${customerQ}) or address_key like search_pattern(${customerQ}) or phone_key like search_pattern(${customerQ})) limit 10001`,
  );
}
