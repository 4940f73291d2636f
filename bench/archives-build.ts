// Helpers of bench/archives.ts: the bench database, the estate plan and its bulk build (the demo
// estate's SQL, core/server/src/estate-bulk.ts), and the raw COPY baseline.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase, runMigrations, type Tx } from '../core/server/src/db/client.ts';
import { startEmbeddedPostgres } from '../core/server/src/db/embedded.ts';
import { type AreaNode, childArea, insertAreas, type MeterSegment } from '../core/server/src/estate-bulk.ts';
import { createLogger } from '../core/server/src/logger.ts';

export const POINTS_PER_CONCENTRATOR = 2000;
export const rows = async <T>(tx: Tx, q: ReturnType<typeof sql>) => (await tx.execute(q)) as unknown as T[];

export interface BenchDatabase {
  db: Database;
  label: string;
  /** the superuser on the bench's own embedded cluster and database (none on DATABASE_URL) */
  superuserUrl?: string;
  stop(): Promise<void>;
}

export async function openBenchDatabase(): Promise<BenchDatabase> {
  if (process.env.DATABASE_URL) {
    await runMigrations(process.env.DATABASE_URL);
    const db = openDatabase(process.env.DATABASE_URL);
    return { db, label: 'DATABASE_URL', stop: () => db.close() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'qm-bench-archives-'));
  await chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres(dir, createLogger('silent'));
  await runMigrations(pg.url);
  const db = openDatabase(pg.url);
  const superuserUrl = new URL(pg.adminUrl);
  superuserUrl.pathname = new URL(pg.url).pathname;
  return {
    db,
    label: 'embedded PostgreSQL',
    superuserUrl: superuserUrl.toString(),
    async stop() {
      await db.close();
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Communities of 10 buildings × 4 units, about 25,000 meters each; households fill the units. */
export function plan(meters: number) {
  const communities = Math.max(2, Math.ceil(meters / 25_000));
  const units = communities * 40;
  const rooms = 8;
  const floors = Math.max(1, Math.ceil((meters * 0.4) / units / rooms));
  return { communities, units, rooms, floors, households: units * floors * rooms };
}

export async function buildAreas(tx: Tx, communities: number) {
  const root = childArea(null, '压测水务集团', 'company', 0);
  const nodes: AreaNode[] = [root];
  const units: { node: AreaNode; label: string }[] = [];
  const top: AreaNode[] = [];
  const buildings: AreaNode[] = [];
  for (let c = 1; c <= communities; c++) {
    const community = childArea(root, `第${c}小区`, 'community', c);
    nodes.push(community);
    top.push(community);
    for (let b = 1; b <= 10; b++) {
      const building = childArea(community, `${b}号楼`, 'building', b);
      nodes.push(building);
      buildings.push(building);
      for (let u = 1; u <= 4; u++) {
        const unit = childArea(building, `${u}单元`, 'unit', u);
        nodes.push(unit);
        units.push({ node: unit, label: `第${c}小区 ${b}号楼 ${u}单元` });
      }
    }
  }
  await insertAreas(tx, nodes);
  return { root, communities: top, buildings, units };
}

export function segments(households: number, meters: number, concentrators: string[]): MeterSegment[] {
  const gas = Math.max(0, Math.floor((meters - 2 * households) / 2));
  const heat = Math.max(0, meters - 2 * households - gas);
  const water: MeterSegment = {
    kind: 'meter-water',
    protocol: 'nbiot',
    via: 'nbiot',
    route: 'imei',
    line: 'onenet',
    count: households,
    assetLetter: 'W',
    assetFrom: 1,
    commBase: 1,
    commWidth: 14,
    custFrom: 1,
    initialBase: 10,
    initialStep: 1,
    vendor: '宁波水表',
    model: 'LXSY-20E-NB',
    digits: 5,
    control: 'valve',
    suspendEvery: 50,
  };
  const lora = { protocol: 'lora', via: 'lora', route: 'deveui', line: 'lora', commWidth: 14 } as const;
  const out: MeterSegment[] = [
    water,
    {
      ...lora,
      kind: 'meter-gas',
      count: gas,
      assetLetter: 'G',
      assetFrom: 1,
      commBase: 1,
      custFrom: 1,
      initialBase: 5,
      initialStep: 1,
      vendor: '金卡',
      model: 'G2.5-LoRa',
      digits: 5,
      control: 'valve',
    },
    {
      ...lora,
      kind: 'meter-heat',
      count: heat,
      assetLetter: 'H',
      assetFrom: 1,
      commBase: gas + 1,
      routeBase: gas,
      custFrom: gas + 1,
      initialBase: 5,
      initialStep: 1,
      vendor: '汇中',
      model: 'HT-LoRa-DN20',
      digits: 7,
      control: 'none',
    },
  ];
  concentrators.forEach((id, k) => {
    const from = k * POINTS_PER_CONCENTRATOR;
    out.push({
      kind: 'meter-power',
      protocol: 'gdw1376',
      via: 'concentrator',
      route: 'point',
      line: id,
      concentratorId: id,
      port: 2,
      count: Math.min(POINTS_PER_CONCENTRATOR, households - from),
      assetLetter: 'E',
      assetFrom: from + 1,
      commBase: (3501 * 10_000 + k + 1) * 10_000 + 1,
      commWidth: 12,
      custFrom: from + 1,
      initialBase: 2000,
      initialStep: 11.25,
      vendor: '威胜',
      model: 'DDZY102-Z',
      digits: 6,
      control: 'relay',
      suspendEvery: 50,
    });
  });
  return out.filter((s) => s.count > 0);
}

export async function insertConcentrators(tx: Tx, count: number, areaId: string): Promise<string[]> {
  await tx.execute(sql`
    insert into concentrators (tenant_id, number, name, a1, a2, area_id)
    select app_tenant_id(), 'JZQ-3501-' || lpad(k::text, 5, '0'), '集中器' || k, '3501', k, ${areaId}
    from generate_series(1, ${count}::int) k`);
  const found = await rows<{ id: string }>(tx, sql`select id from concentrators order by a2`);
  return found.map((r) => r.id);
}

export async function copyBaseline(db: Database, tenantId: string) {
  const cols =
    'tenant_id, id, kind, asset_no, comm_address, protocol, vendor_profile, model, vendor, ct_ratio, pt_ratio, digits, initial_reading, install_date, location, area_id, account_id, control, status, custom, created_at, updated_at';
  const chunks: Buffer[] = [];
  await db.sql.begin(async (s) => {
    await s`select set_config('app.tenant_id', ${tenantId}, true)`;
    const out = await s.unsafe(`copy (select ${cols} from meters) to stdout`).readable();
    for await (const c of out) chunks.push(c as Buffer);
  });
  await db.sql.unsafe('drop table if exists bench_meters_copy');
  await db.sql.unsafe(
    'create unlogged table bench_meters_copy (like meters including defaults excluding constraints excluding indexes)',
  );
  const data = Buffer.concat(chunks);
  chunks.length = 0;
  const t = performance.now();
  const sink = await db.sql.unsafe(`copy bench_meters_copy (${cols}) from stdin`).writable();
  await new Promise<void>((resolve, reject) => {
    sink.on('error', reject);
    sink.on('finish', resolve);
    for (let at = 0; at < data.length; at += 1 << 20) sink.write(data.subarray(at, at + (1 << 20)));
    sink.end();
  });
  const ms = performance.now() - t;
  const [{ count }] = await db.sql<{ count: string }[]>`select count(*) from bench_meters_copy`;
  await db.sql.unsafe('drop table bench_meters_copy');
  return { rows: Number(count), bytes: data.length, ms, rate: (Number(count) / ms) * 1000 };
}

export type Tree = Awaited<ReturnType<typeof buildAreas>>;
