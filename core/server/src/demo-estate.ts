import { sql } from 'drizzle-orm';
import type { Db, Tx } from './db/client.ts';
import { areas } from './db/schema/index.ts';
import { withTenant } from './db/tenant.ts';
import {
  type AreaNode,
  type CustomerBlock,
  childArea,
  insertAreas,
  insertCustomers,
  insertMeterSegment,
  type MeterSegment,
} from './estate-bulk.ts';

/**
 * The line key of the demo's simulated RS-485 line. The simulator listens on a port chosen at
 * start (QUADMETER_SIM_PORT, else a free one), so the archive names the line, not the port: the
 * reading engine maps `demo-bus` to the `serialUrl` that startDemoSimulators reports.
 */
export const DEMO_BUS_LINE = 'demo-bus';
/** The demo's Q/GDW 1376.1 concentrator: `quadmeter sim concentrator --a1 3501 --a2 1 --meters 1086`. */
export const DEMO_CONCENTRATOR = { number: 'JZQ-3501-00001', a1: '3501', a2: 1 } as const;

type Tree = [name: string, kind: AreaNode['kind'], children: Tree[]];
const units = (n: number): Tree[] => Array.from({ length: n }, (_, i) => [`${i + 1}单元`, 'unit', []]);
const building = (name: string, n: number): Tree => [name, 'building', units(n)];

/**
 * The demo area tree. It extends the tree demo.ts seeds (same names, found not duplicated):
 * building names stay unique across the tree and 1号楼 keeps its single unit, which the HTTP tests
 * rely on.
 */
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
            building('2号楼', 2),
            building('4号楼', 2),
            building('5号楼', 2),
            building('6号楼', 2),
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
          [building('3号楼', 2), building('7号楼', 3), building('8号楼', 3), building('9号楼', 3)],
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

const CJT188_INITIAL = (n: number) => 100 + n * 3.25;

/**
 * The 18 meters of the demo's RS-485 line (startDemoSimulators: populateBus with 8 DL/T 645 of
 * which the last 2 speak 1997, 6 CJ/T 188 cycling cold water / gas / heat, 4 M-Bus with odd
 * primary addresses water and even ones heat, addressed here by their secondary id), with the
 * simulator's addresses and starting readings, all on the institution's account.
 */
function busSegments(cust: number): MeterSegment[] {
  const line = { via: 'serial', route: 'comm', line: DEMO_BUS_LINE, baud: 2400, parity: 'E' } as const;
  const on = { ...line, custFrom: cust, custStep: 0 } as const;
  const power = {
    ...on,
    kind: 'meter-power',
    assetLetter: 'E',
    commWidth: 12,
    vendor: '威胜',
    model: 'DDZY102-Z',
    digits: 6,
    control: 'relay',
    initialStep: 37.5,
  } as const;
  const cjt = { ...on, protocol: 'cjt188', count: 2, commWidth: 14, commStep: 3, initialStep: 9.75 } as const;
  const mbus = { ...on, protocol: 'mbus', count: 2, commWidth: 8, commStep: 2, vendor: '汇中' } as const;
  return [
    { ...power, protocol: 'dlt645-2007', count: 6, assetFrom: 1, commBase: 1, initialBase: 1037.5 },
    { ...power, protocol: 'dlt645-1997', count: 2, assetFrom: 7, commBase: 7, initialBase: 1262.5 },
    {
      ...cjt,
      kind: 'meter-water',
      assetLetter: 'W',
      assetFrom: 1,
      commBase: 1,
      initialBase: CJT188_INITIAL(1),
      vendor: '宁波水表',
      model: 'LXSY-20E',
      digits: 5,
      control: 'valve',
    },
    {
      ...cjt,
      kind: 'meter-gas',
      assetLetter: 'G',
      assetFrom: 1,
      commBase: 2,
      initialBase: CJT188_INITIAL(2),
      vendor: '金卡',
      model: 'G2.5',
      digits: 5,
      control: 'valve',
    },
    {
      ...cjt,
      kind: 'meter-heat',
      assetLetter: 'H',
      assetFrom: 1,
      commBase: 3,
      initialBase: CJT188_INITIAL(3),
      vendor: '汇中',
      model: 'HT-DN20',
      digits: 7,
      control: 'none',
    },
    // populateBus: M-Bus meter n has volume 20 + n and heat 500 + 10·n
    {
      ...mbus,
      kind: 'meter-water',
      assetLetter: 'W',
      assetFrom: 3,
      commBase: 10_000_001,
      initialBase: 21,
      initialStep: 2,
      model: 'MBUS-W20',
      digits: 5,
      control: 'none',
    },
    {
      ...mbus,
      kind: 'meter-heat',
      assetLetter: 'H',
      assetFrom: 3,
      commBase: 10_000_002,
      initialBase: 520,
      initialStep: 20,
      model: 'MBUS-H20',
      digits: 7,
      control: 'none',
    },
  ];
}

interface Field {
  /** customer numbers of 阳光花园 households, 幸福里 households, the shops and the institution */
  sunny: [number, number];
  happy: [number, number];
  sunnyShops: number;
  happyShops: number;
  institution: number;
  concentratorId: string;
}

/**
 * Field meters beyond the line: 阳光花园 water on NB-IoT (OneNET, `sim nbiot --platform onenet`),
 * gas and heat on LoRaWAN (`sim lora`), 幸福里 electricity behind the 1376.1 concentrator.
 */
function fieldSegments(f: Field): MeterSegment[] {
  const sunny = f.sunny[1] - f.sunny[0] + 1;
  const happy = f.happy[1] - f.happy[0] + 1;
  const nb = {
    kind: 'meter-water',
    protocol: 'nbiot',
    via: 'nbiot',
    route: 'imei',
    line: 'onenet',
    assetLetter: 'W',
    commWidth: 14,
    initialStep: 1,
    vendor: '宁波水表',
    model: 'LXSY-20E-NB',
    digits: 5,
    control: 'valve',
    suspendEvery: 50,
  } as const;
  const lora = {
    protocol: 'lora',
    via: 'lora',
    route: 'deveui',
    line: 'lora',
    commWidth: 14,
    initialStep: 1,
  } as const;
  const point = {
    kind: 'meter-power',
    protocol: 'gdw1376',
    via: 'concentrator',
    route: 'point',
    line: f.concentratorId,
    concentratorId: f.concentratorId,
    port: 2,
    assetLetter: 'E',
    commWidth: 12,
    initialStep: 11.25,
    vendor: '威胜',
    model: 'DDZY102-Z',
    digits: 6,
    control: 'relay',
    suspendEvery: 50,
  } as const;
  const a = DEMO_CONCENTRATOR;
  const pnBase = (Number(a.a1) * 10_000 + a.a2) * 10_000;
  const gas = 300;
  const heat = 200;
  // the simulators number devices from 1: NB-IoT i → IMEI 86…i, LoRa i → DevEUI 70b3d5fffe…i, both
  // with CJ/T 188 address i and starting volume 9 + i (NB-IoT) or 4 + i (LoRa)
  return [
    { ...nb, count: sunny, assetFrom: 5, commBase: 1, custFrom: f.sunny[0], initialBase: 10 },
    {
      ...nb,
      count: 30,
      assetFrom: 5 + sunny,
      commBase: 1 + sunny,
      routeBase: sunny,
      custFrom: f.sunnyShops,
      initialBase: 10 + sunny,
    },
    {
      ...lora,
      kind: 'meter-gas',
      count: gas,
      assetLetter: 'G',
      assetFrom: 3,
      commBase: 1,
      custFrom: f.sunny[0],
      initialBase: 5,
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
      assetFrom: 5,
      commBase: 1 + gas,
      routeBase: gas,
      custFrom: f.sunny[0] + gas,
      initialBase: 5 + gas,
      vendor: '汇中',
      model: 'HT-LoRa-DN20',
      digits: 7,
      control: 'none',
    },
    {
      ...point,
      count: happy,
      assetFrom: 9,
      commBase: pnBase + 1,
      custFrom: f.happy[0],
      initialBase: 2011.25,
    },
    {
      ...point,
      count: 30,
      assetFrom: 9 + happy,
      commBase: pnBase + happy + 1,
      routeBase: happy,
      custFrom: f.happyShops,
      initialBase: 2000 + 11.25 * (happy + 1),
    },
  ];
}

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
 * campus, 10 buildings, 21 units), 1,981 customers with accounts and 2,498 meters of the four
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
    const count = (r: unknown) => (r as { n: number }[])[0].n;
    return { areas: count(after) - count(before), customers, meters, elapsedMs: performance.now() - t0 };
  });
}
