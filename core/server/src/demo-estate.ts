import { sql } from 'drizzle-orm';
import type { Db, Tx } from './db/client.ts';
import { areas } from './db/schema/index.ts';
import { withTenant } from './db/tenant.ts';
import { busSegments, DEMO_CONCENTRATOR, type Field, fieldSegments } from './demo-estate-meters.ts';
import { placeDemoMeters } from './demo-positions.ts';
import {
  type AreaNode,
  type CustomerBlock,
  childArea,
  insertAreas,
  insertCustomers,
  insertMeterSegment,
} from './estate-bulk.ts';

export { DEMO_BUS_LINE, DEMO_CONCENTRATOR } from './demo-estate-meters.ts';

type Tree = [name: string, kind: AreaNode['kind'], children: Tree[]];
const units = (n: number): Tree[] => Array.from({ length: n }, (_, i) => [`${i + 1}单元`, 'unit', []]);
const building = (name: string, n: number): Tree => [name, 'building', units(n)];

/**
 * The demo area tree. It extends the tree demo-areas.ts seeds (same names, found not duplicated).
 * Building names stay unique across the tree, and the seeded buildings (FIXTURES) keep their single
 * unit and stay empty: the HTTP tests use them as their own fixtures (a user scoped to 1号楼 sees
 * exactly what the test put there).
 */
const FIXTURES = new Set(['1号楼', '2号楼', '3号楼']);
const TREE: Tree = [
  '演示水务集团',
  'company',
  [
    [
      '城东分公司',
      'branch',
      [
        [
          '阳光花园小区',
          'community',
          [
            building('1号楼', 1),
            building('2号楼', 1),
            building('4号楼', 2),
            building('5号楼', 2),
            building('6号楼', 2),
            building('10号楼', 2),
          ],
        ],
        ['理工大学东校区', 'campus', [building('学生公寓A栋', 1)]],
      ],
    ],
    [
      '城西分公司',
      'branch',
      [
        [
          '幸福里小区',
          'community',
          [
            building('3号楼', 1),
            building('7号楼', 3),
            building('8号楼', 3),
            building('9号楼', 3),
            building('11号楼', 3),
          ],
        ],
      ],
    ],
  ],
];

/** Finds or creates every node of the tree; returns the nodes by their name path (`a/b/c`). */
async function ensureTree(tx: Tx): Promise<Map<string, AreaNode>> {
  const existing = await tx.select().from(areas);
  const byParentName = new Map(existing.map((a) => [`${a.parentId ?? ''}|${a.name}`, a as AreaNode]));
  const out = new Map<string, AreaNode>();
  const fresh: AreaNode[] = [];
  const walk = ([name, kind, children]: Tree, parent: AreaNode | null, key: string, sort: number) => {
    let node = byParentName.get(`${parent?.id ?? ''}|${name}`);
    if (!node) {
      node = childArea(parent, name, kind, sort);
      fresh.push(node);
    }
    const path = key ? `${key}/${name}` : name;
    out.set(path, node);
    for (const [i, c] of children.entries()) walk(c, node, path, i);
  };
  walk(TREE, null, '', 0);
  await insertAreas(tx, fresh);
  return out;
}

const HOUSEHOLDS = {
  sunny: { community: '演示水务集团/城东分公司/阳光花园小区', floors: 24, rooms: 4 },
  happy: { community: '演示水务集团/城西分公司/幸福里小区', floors: 16, rooms: 6 },
} as const;

/** Households of every unit of a community, then its shops (30 on the ground floor). */
function communityBlocks(tree: Map<string, AreaNode>, which: keyof typeof HOUSEHOLDS, firstNo: number) {
  const { community, floors, rooms } = HOUSEHOLDS[which];
  const name = community.split('/').at(-1)!;
  const blocks: CustomerBlock[] = [];
  let no = firstNo;
  for (const [path, node] of tree) {
    if (!path.startsWith(`${community}/`) || node.kind !== 'unit') continue;
    const [b, u] = path.slice(community.length + 1).split('/');
    if (FIXTURES.has(b)) continue;
    blocks.push({
      areaId: node.id,
      label: `${name} ${b} ${u}`,
      floors,
      rooms,
      firstNo: no,
      type: 'resident',
    });
    no += floors * rooms;
  }
  return blocks;
}

const shops = (
  tree: Map<string, AreaNode>,
  which: keyof typeof HOUSEHOLDS,
  firstNo: number,
): CustomerBlock => {
  const { community } = HOUSEHOLDS[which];
  const name = community.split('/').at(-1)!;
  const area = tree.get(community)!;
  return { areaId: area.id, label: `${name} 商铺`, floors: 1, rooms: 30, firstNo, type: 'commercial' };
};

async function ensureConcentrator(tx: Tx, areaId: string): Promise<string> {
  const c = DEMO_CONCENTRATOR;
  await tx.execute(sql`
    insert into concentrators (tenant_id, number, name, a1, a2, sim, iccid, area_id)
    values (app_tenant_id(), ${c.number}, '幸福里小区配电房集中器', ${c.a1}, ${c.a2}, '1440350100001',
      '89860435012400000001', ${areaId})
    on conflict do nothing`);
  const rows = await tx.execute(sql`select id from concentrators where number = ${c.number}`);
  return (rows as unknown as { id: string }[])[0].id;
}

export interface EstateResult {
  areas: number;
  customers: number;
  meters: number;
  elapsedMs: number;
}

/**
 * Seeds the demo archive into one tenant in one transaction: the area tree (2 communities and a
 * campus, 12 buildings, 24 units), 1,981 customers with accounts and 2,498 meters of the four
 * kinds, each routed — the 18 of the simulated RS-485 line by (`demo-bus`, address), the rest by
 * concentrator measuring point, NB-IoT IMEI or LoRa DevEUI. Idempotent: a second run writes nothing.
 */
export async function seedDemoEstate(db: Db, tenantId: string): Promise<EstateResult> {
  const t0 = performance.now();
  return await withTenant(db, tenantId, async (tx) => {
    const before = await tx.execute(sql`select count(*)::int as n from areas`);
    const tree = await ensureTree(tx);
    const after = await tx.execute(sql`select count(*)::int as n from areas`);
    const sunny = communityBlocks(tree, 'sunny', 1);
    const sunnyEnd = sunny.reduce((n, b) => n + b.floors * b.rooms, 0);
    const happy = communityBlocks(tree, 'happy', sunnyEnd + 1);
    const happyEnd = sunnyEnd + happy.reduce((n, b) => n + b.floors * b.rooms, 0);
    const institution = happyEnd + 61;
    const dorm = tree.get('演示水务集团/城东分公司/理工大学东校区/学生公寓A栋/1单元')!;
    const blocks: CustomerBlock[] = [
      ...sunny,
      ...happy,
      shops(tree, 'sunny', happyEnd + 1),
      shops(tree, 'happy', happyEnd + 31),
      {
        areaId: dorm.id,
        label: '理工大学东校区 学生公寓A栋 配电间',
        floors: 1,
        rooms: 1,
        firstNo: institution,
        type: 'institution',
        name: '理工大学后勤处',
      },
    ];
    const customers = await insertCustomers(tx, '', blocks);
    const concentratorId = await ensureConcentrator(tx, tree.get(HOUSEHOLDS.happy.community)!.id);
    const field: Field = {
      sunny: [1, sunnyEnd],
      happy: [sunnyEnd + 1, happyEnd],
      sunnyShops: happyEnd + 1,
      happyShops: happyEnd + 31,
      institution,
      concentratorId,
    };
    let meters = 0;
    for (const s of [...busSegments(institution), ...fieldSegments(field)])
      meters += await insertMeterSegment(tx, '', s);
    await placeDemoMeters(tx);
    const count = (r: unknown) => (r as { n: number }[])[0].n;
    return { areas: count(after) - count(before), customers, meters, elapsedMs: performance.now() - t0 };
  });
}
