// The list and search part of bench/archives.ts: p50/p99 of the meter list (area subtree + kind +
// status, sorted, keyset pages), of meter and customer searches (ASCII and Chinese fragments) and
// of the customer list, all through the real service functions (listMeters, listCustomers) in one
// tenant transaction per request as the routes run them, interleaved with `select 1` in the same
// transaction path as the baseline. The HTTP layer is not included.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../core/server/src/db/client.ts';
import { type CustomerQuery, listCustomers } from '../core/server/src/services/archives/customer-list.ts';
import { listMeters, type MeterFilter } from '../core/server/src/services/archives/meter-list.ts';
import type { Actor } from '../core/server/src/services/identity/actor.ts';
import { rows, type Tree } from './archives-build.ts';

type InTenant = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

const KINDS = ['meter-water', 'meter-power', 'meter-gas', 'meter-heat'] as const;
const pct = (xs: number[], q: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : Number.NaN;

function benchActor(tenantId: string, areaScope: string[] | null = null): Actor {
  return {
    kind: 'user',
    id: randomUUID(),
    name: 'bench',
    displayName: 'bench',
    locale: 'zh-CN',
    tenantId,
    permissions: new Set(['meters.read', 'customers.read', 'customers.pii']),
    areaScope,
  };
}

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
  const actor = benchActor(o.tenantId);
  const scopedActor = (i: number) => benchActor(o.tenantId, [pick(tree.communities, i).id]);

  const lines: Samples[] = [
    { name: 'select 1 (tenant transaction)', xs: [], rows: 0 },
    { name: 'meter list: subtree+kind+status, page 1+2', xs: [], rows: 0 },
    { name: 'meter list: scoped user, kind, page 1+2', xs: [], rows: 0 },
    { name: 'meter search ASCII (asset no / address)', xs: [], rows: 0 },
    { name: 'customer search Chinese (name / address)', xs: [], rows: 0 },
    { name: 'customer search ASCII (number / phone)', xs: [], rows: 0 },
    { name: 'customer list: subtree, by number, page 1+2', xs: [], rows: 0 },
  ];
  const [select1, meterList, scopedList, meterSearch, custChinese, custAscii, custList] = lines;
  const timed = async (s: Samples | null, fn: (tx: Tx) => Promise<number>) => {
    const t = performance.now();
    const n = await inTenant(fn);
    const ms = performance.now() - t;
    if (s) {
      s.xs.push(ms);
      s.rows += n;
    }
  };
  const meterPages = async (s: Samples | null, who: Actor, f: MeterFilter) => {
    let after: string | undefined;
    for (let k = 0; k < 2; k++)
      await timed(s, async (tx) => {
        const page = await listMeters(tx, who, f, { after, limit: 50 });
        after = page.next ?? undefined;
        return page.items.length;
      });
  };
  const customers = (s: Samples | null, q: Omit<CustomerQuery, 'limit'>) =>
    timed(s, async (tx) => (await listCustomers(tx, actor, { ...q, limit: 50 })).items.length);

  const round = async (i: number, record: boolean) => {
    const r = <T>(s: T) => (record ? s : null);
    await timed(r(select1), async (tx) => (await tx.execute(sql`select 1`)).length);
    await meterPages(r(meterList), actor, { areaId: areaFor(i), kind: KINDS[rnd(4)], status: 'installed' });
    await meterPages(r(scopedList), scopedActor(rnd(1 << 20)), { kind: KINDS[rnd(4)] });
    await timed(
      r(meterSearch),
      async (tx) => (await listMeters(tx, actor, { q: meterAscii(i) }, { limit: 50 })).items.length,
    );
    await customers(r(custChinese), { q: customerChinese(i) });
    await customers(r(custAscii), { q: customerAscii(i) });
    let after: string | undefined;
    for (let k = 0; k < 2; k++)
      await timed(r(custList), async (tx) => {
        const page = await listCustomers(tx, actor, { areaId: areaFor(i + 1), after, limit: 50 });
        after = page.next ?? undefined;
        return page.items.length;
      });
  };
  for (let i = 0; i < 10; i++) await round(i, false);
  const start = performance.now();
  let done = 0;
  while (done < o.requests && performance.now() - start < o.budgetMs) await round(done++, true);

  console.log('\n== lists and searches through the service functions (FORCE RLS, as migrated)');
  console.log(
    `one tenant transaction per request as the routes run them (HTTP not included): ${done} rounds, interleaved` +
      (done < o.requests ? `, stopped by the ${o.budgetMs / 1000} s budget` : ''),
  );
  console.log(
    'query                                          p50 ms   p99 ms   p50 ÷ select 1   p99 ÷ select 1   p99 < 50 ms',
  );
  const b50 = pct(select1.xs, 0.5);
  const b99 = pct(select1.xs, 0.99);
  for (const s of lines) {
    const p50 = pct(s.xs, 0.5);
    const p99 = pct(s.xs, 0.99);
    console.log(
      `${s.name.padEnd(45)} ${p50.toFixed(2).padStart(7)}  ${p99.toFixed(2).padStart(7)}  ${(p50 / b50).toFixed(1).padStart(15)}  ${(p99 / b99).toFixed(1).padStart(15)}   ${s === select1 ? '' : p99 < 50 ? 'met' : 'missed'}`.trimEnd(),
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
    sql`select meter_id from meter_search where tenant_id = ${o.tenantId}::uuid and key like search_pattern(${meterQ}) limit 10001`,
  );
  await show(
    `customer_search_ids(any+phone, ${customerQ}) inner query`,
    sql`select customer_id from customer_search where tenant_id = ${o.tenantId}::uuid and (number_key like search_pattern(${customerQ})
      or name_key like search_pattern(${customerQ}) or address_key like search_pattern(${customerQ}) or phone_key like search_pattern(${customerQ})) limit 10001`,
  );
}
