import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from './db/client.ts';
import type {
  areaKinds,
  customerTypes,
  meterControls,
  meterProtocols,
  routeVias,
} from './db/schema/index.ts';

/**
 * Bulk writers for an archive estate (areas, customers with accounts, meters with routes and their
 * install events), shared by the demo estate and bench/archives.ts. Every statement is one
 * `INSERT … SELECT` over generate_series / jsonb_to_recordset inside the caller's tenant
 * transaction (FORCE RLS refuses COPY into the tables), and every one is idempotent: rows are keyed
 * by their numbers and `ON CONFLICT DO NOTHING`, and dependent rows are written only for the rows
 * that statement inserted, so a second run writes nothing.
 */

export interface AreaNode {
  id: string;
  parentId: string | null;
  name: string;
  kind: (typeof areaKinds)[number];
  sort: number;
  path: string[];
}

/** A block of customers: the households of one unit (floors × rooms), shops, or one organisation. */
export interface CustomerBlock {
  areaId: string;
  /** address prefix, e.g. `阳光花园小区 3号楼 2单元`; a room number (`501`) is appended */
  label: string;
  floors: number;
  rooms: number;
  /** sequence number h of the block's first customer (numbers `<prefix>YH<100000 + h>`) */
  firstNo: number;
  type: (typeof customerTypes)[number];
  /** a fixed name (organisations); otherwise names are generated */
  name?: string;
}

export type MeterKind = 'meter-water' | 'meter-power' | 'meter-gas' | 'meter-heat';

/** Main register per kind (the one install/replace readings are about). */
export const mainRegister: Record<MeterKind, string> = {
  'meter-water': 'totalVolume',
  'meter-power': 'activeImportTotal',
  'meter-gas': 'standardVolume',
  'meter-heat': 'heatEnergy',
};

/**
 * `count` meters of one kind reached one way. Meter i (1-based) has the communication address
 * `commPrefix + lpad(commBase + commStep·(i−1), commWidth)`, belongs to customer number
 * `custFrom + custStep·(i−1)` (its account and area follow), and is routed by `route`:
 * `comm` (the communication address on `line`), `point` (measuring point `pointBase + i` on a
 * concentrator), `imei` (`86` + 13 digits of `routeBase + i`) or `deveui` (`70B3D5FFFE` + 6 hex
 * digits of `routeBase + i`); these match the devices `quadmeter sim …` generates.
 */
export interface MeterSegment {
  kind: MeterKind;
  protocol: (typeof meterProtocols)[number];
  count: number;
  /** asset numbers `<prefix><assetLetter><9 digits>` from assetFrom on */
  assetLetter: string;
  assetFrom: number;
  commPrefix?: string;
  commBase: number;
  commStep?: number;
  commWidth: number;
  custFrom: number;
  custStep?: number;
  /** initial reading = initialBase + initialStep · (commBase + commStep·(i−1)) */
  initialBase: number;
  initialStep: number;
  via: (typeof routeVias)[number];
  route: 'comm' | 'point' | 'imei' | 'deveui';
  line: string;
  routeBase?: number;
  baud?: number;
  parity?: 'E' | 'N' | 'O';
  concentratorId?: string;
  port?: number;
  vendor: string;
  model: string;
  digits: number;
  control: (typeof meterControls)[number];
  vendorProfile?: string;
  /** every n-th meter is suspended (0: none) */
  suspendEvery?: number;
}

const SURNAMES =
  '王,李,张,刘,陈,杨,黄,赵,吴,周,徐,孙,马,朱,胡,郭,何,高,林,罗,郑,梁,谢,宋,唐,许,韩,冯,邓,曹,彭,曾,肖,田,董,袁,潘,于,蒋,蔡,余,杜,叶,程,苏,魏,吕,丁,任,沈,姚,卢,姜,崔,钟,谭,陆,汪,范,金,石,廖,贾,夏,韦,付,方,白,邹,孟,熊,秦,邱,江,尹,薛,闫,段,雷,侯,龙,史,陶,黎,贺,顾,毛,郝,龚,邵';
const GIVEN =
  '伟,芳,娜,秀英,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,秀兰,霞,平,刚,桂英,建华,文,华,红,建国,玉兰,鹏,辉,玲,丹,萍,鑫,斌,宇,浩,凯,秀珍,健,俊,帆,雪,婷,志强,海燕,晨,欣怡,子涵,梓萱,浩然,宇轩,雨涵,一诺,思远,嘉怡,明轩,佳琪,志明,春梅,国强,丽娟,永红,秀梅,金凤,淑珍,德华,振华,晓燕,立新,海涛,红梅,小红,宏伟,春燕,建平,晓东,丽萍,冬梅';
const SHOPS = '便利店,理发店,面馆,药店,五金店,水果店,早餐店,洗衣店,花店,超市';

/** `string_to_array` of a comma list: one text parameter, no driver array serialisation. */
const list = (csv: string) => sql`string_to_array(${csv}, ',')`;

/** Inserts area nodes whose ids are not there yet (callers pick ids; the path holds root…self). */
export async function insertAreas(tx: Tx, nodes: AreaNode[]): Promise<number> {
  if (nodes.length === 0) return 0;
  const rows = nodes.map((n) => ({ ...n, path: n.path.join(',') }));
  const res = await tx.execute(sql`
    insert into areas (tenant_id, id, parent_id, name, kind, sort, path)
    select app_tenant_id(), n.id, n."parentId", n.name, n.kind, n.sort, string_to_array(n.path, ',')::uuid[]
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as n(id uuid, "parentId" uuid, name text, kind text, sort int, path text)
    order by array_length(string_to_array(n.path, ','), 1)
    on conflict do nothing`);
  return res.count;
}

/** A child node under `parent` with a fresh id. */
export function childArea(
  parent: AreaNode | null,
  name: string,
  kind: AreaNode['kind'],
  sort: number,
): AreaNode {
  const id = randomUUID();
  return { id, parentId: parent?.id ?? null, name, kind, sort, path: [...(parent?.path ?? []), id] };
}

/**
 * Customers of the blocks, each with one account (`<prefix>ZH<100000 + h>`, postpaid from 2020-01-01),
 * residents with household size and heated area in force from 2020-01-01. Returns customers inserted.
 */
export async function insertCustomers(tx: Tx, prefix: string, blocks: CustomerBlock[]): Promise<number> {
  const res = await tx.execute(sql`
    with b as (
      select * from jsonb_to_recordset(${JSON.stringify(blocks)}::jsonb) as b(
        "areaId" uuid, label text, floors int, rooms int, "firstNo" int, type text, name text)
    ), src as materialized (
      select b.*, b."firstNo" + k - 1 as h, (k - 1) / b.rooms + 1 as floor, (k - 1) % b.rooms + 1 as room
      from b cross join lateral generate_series(1, b.floors * b.rooms) k
    ), c as (
      insert into customers (tenant_id, number, name, type, phone, id_number, address, area_id, low_income, tags)
      select app_tenant_id(), ${prefix} || 'YH' || (100000 + h)::text,
        coalesce(src.name, case when src.type = 'commercial'
          then (${list(SURNAMES)})[1 + (h * 7) % 90] || '记' || (${list(SHOPS)})[1 + h % 10]
          else (${list(SURNAMES)})[1 + (h * 7) % 90] || (${list(GIVEN)})[1 + (h * 31) % 80] end),
        src.type,
        '1' || (string_to_array('38,39,58,59,86,87,35,36,37,50,51,52,88,89', ','))[1 + h % 14]
          || lpad(((h::bigint * 7919 + 12345) % 100000000)::text, 8, '0'),
        case when src.type = 'resident' then id.id18 end,
        case when src.floors * src.rooms = 1 then src.label
          else src.label || ' ' || floor || lpad(room::text, 2, '0') end,
        src."areaId", src.type = 'resident' and h % 37 = 0,
        case when src.type = 'resident' and h % 37 = 0 then '{低保}'::text[] else '{}'::text[] end
      from src
      cross join lateral (select
        '350102' || to_char((date '1950-01-01' + (src.h * 97) % 18000)::timestamp, 'YYYYMMDD') || lpad((src.h % 1000)::text, 3, '0')
        as s17) body
      cross join lateral (select body.s17 || substr('10X98765432', 1 + (
        select sum(substr(body.s17, i::int, 1)::int * w) from unnest('{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}'::int[])
          with ordinality as wt(w, i))::int % 11, 1) as id18) id
      on conflict (tenant_id, number) do nothing
      returning id, number, type
    ), a as (
      insert into accounts (tenant_id, customer_id, number, reading_day, tariff_plans)
      select app_tenant_id(), c.id, ${prefix} || 'ZH' || substr(c.number, ${prefix.length + 3}::int), case when c.type = 'resident' then 15 else 1 end, '{}'
      from c
      on conflict (tenant_id, number) do nothing
      returning id
    ), f as (
      insert into customer_facts (tenant_id, customer_id, kind, effective_from, value)
      select app_tenant_id(), c.id, fk.kind, date '2020-01-01',
        case fk.kind when 'household_size' then 1 + substr(c.number, ${prefix.length + 3}::int)::int % 5
          else 60 + substr(c.number, ${prefix.length + 3}::int)::int % 90 end
      from c cross join (values ('household_size'), ('heated_area_m2')) fk(kind)
      where c.type = 'resident'
    ), m as (
      insert into account_billing_modes (tenant_id, account_id, effective_from, mode)
      select app_tenant_id(), a.id, date '2020-01-01', 'postpaid' from a
    )
    select count(*)::int as n from c`);
  return (res as unknown as { n: number }[])[0].n;
}

/**
 * One segment of meters, their routes and install events (a suspend event for suspended ones), in
 * one statement. Returns the meters inserted.
 */
export async function insertMeterSegment(tx: Tx, prefix: string, s: MeterSegment): Promise<number> {
  const step = s.commStep ?? 1;
  const custStep = s.custStep ?? 1;
  const routeBase = s.routeBase ?? 0;
  const register = mainRegister[s.kind];
  const routeAddress = {
    comm: sql`j.comm`,
    point: sql`(j.i + ${routeBase}::bigint)::text`,
    imei: sql`'86' || lpad((j.i + ${routeBase}::bigint)::text, 13, '0')`,
    // upper case: the device registry looks DevEUIs up as LoRa routes store them (upper-case hex)
    deveui: sql`upper('70b3d5fffe' || lpad(to_hex(j.i + ${routeBase}::bigint), 6, '0'))`,
  }[s.route];
  const pointNo = s.route === 'point' ? sql`(j.i + ${routeBase}::bigint)::int` : sql`null::int`;
  const res = await tx.execute(sql`
    with src as materialized (
      select i, gen_random_uuid() as id, ${s.commBase}::bigint + ${step}::bigint * (i - 1) as seq,
        (100000 + ${s.custFrom}::bigint + ${custStep}::bigint * (i - 1))::text as hno
      from generate_series(1, ${s.count}::int) i
    ), j as materialized (
      select src.*, ${s.commPrefix ?? ''} || lpad(src.seq::text, ${s.commWidth}::int, '0') as comm,
        c.area_id, a.id as account_id,
        case when ${s.suspendEvery ?? 0}::int > 0 and src.i % ${s.suspendEvery ?? 0}::int = 0
          then 'suspended' else 'installed' end as status,
        date '2019-01-01' + ((src.i * 37) % 1800)::int as install_date,
        ${s.initialBase}::numeric + ${s.initialStep}::numeric * src.seq as initial
      from src
      join customers c on c.number = ${prefix} || 'YH' || src.hno
      left join accounts a on a.number = ${prefix} || 'ZH' || src.hno
    ), m as (
      insert into meters (tenant_id, id, kind, asset_no, comm_address, protocol, vendor_profile, model, vendor,
        digits, initial_reading, install_date, location, area_id, account_id, control, status)
      select app_tenant_id(), j.id, ${s.kind}, ${prefix} || ${s.assetLetter} || lpad((${s.assetFrom}::bigint + j.i - 1)::text, 9, '0'),
        j.comm, ${s.protocol}, ${s.vendorProfile ?? null}, ${s.model}, ${s.vendor}, ${s.digits}::smallint,
        j.initial, j.install_date, null, j.area_id, j.account_id, ${s.control}, j.status
      from j
      on conflict (tenant_id, asset_no) do nothing
      returning id, install_date, initial_reading, status
    ), r as (
      insert into meter_routes (tenant_id, meter_id, via, line, address, baud, parity, concentrator_id, point_no, port)
      select app_tenant_id(), j.id, ${s.via}, ${s.line}, ${routeAddress}, ${s.baud ?? null}::int, ${s.parity ?? null},
        ${s.concentratorId ?? null}::uuid,
        ${pointNo}, ${s.port ?? null}::smallint
      from j join m using (id)
    ), e as (
      insert into meter_events (tenant_id, meter_id, kind, at, actor_name, reason, readings, to_account_id)
      select app_tenant_id(), m.id, 'install', (m.install_date + time '09:00') at time zone 'Asia/Shanghai',
        '演示数据', '新装', jsonb_build_object('initial', jsonb_build_object(${register}::text, m.initial_reading::text)),
        j.account_id
      from m join j using (id)
      union all
      select app_tenant_id(), m.id, 'suspend', (m.install_date + 400 + time '10:00') at time zone 'Asia/Shanghai',
        '演示数据', '欠费停用', '{}'::jsonb, null
      from m where m.status = 'suspended'
    )
    select count(*)::int as n from m`);
  return (res as unknown as { n: number }[])[0].n;
}
