/**
 * Data identifiers of DL/T 645-2007 (4 bytes, DI3 DI2 DI1 DI0) and DL/T 645-1997 (2 bytes,
 * DI1 DI0), written most significant byte first as in the standard's tables (the wire carries
 * DI0 first). Families that differ only in tariff, phase, settlement or "last n" index are
 * generated from one row each. Layouts of the prepaid (0090xxxx, 040010xx, 0333xxxx) and
 * trip/close record (1D/1E) identifiers follow the State Grid filing of DL/T 645-2007 for
 * cost-control meters.
 */
import type { Dlt645Version, Fmt, ItemDef, RecField } from './types.ts';

const num = (n: number, d: number, s = false): Fmt => ({ t: 'num', n, d, s });
const time = (p: Extract<Fmt, { t: 'time' }>['p']): Fmt => ({ t: 'time', p });
const hex = (n: number): Fmt => ({ t: 'hex', n });
const rec = (...f: RecField[]): Fmt => ({ t: 'rec', f });
const field = (key: string, fmt: Fmt, unit?: string): RecField => (unit ? { key, fmt, unit } : { key, fmt });
const block = (of: Fmt, labels: readonly string[], min = 1): Fmt => ({ t: 'block', of, labels, min });
const h2 = (n: number): string => n.toString(16).padStart(2, '0').toUpperCase();

const TARIFFS = ['total', ...Array.from({ length: 63 }, (_, i) => `T${i + 1}`)];
const TARIFFS_1997 = ['total', 'T1', 'T2', 'T3', 'T4'];
const SETTLEMENTS = ['current', ...Array.from({ length: 12 }, (_, i) => `last${i + 1}`)];
const PHASES = ['A', 'B', 'C'];
const POWER = ['total', 'A', 'B', 'C'];

const ENERGY: Fmt = num(4, 2);
const ENERGY_SIGNED: Fmt = num(4, 2, true);
const STAMP = time('YYMMDDhhmmss');

export const TABLE = new Map<string, ItemDef>();

function add(version: Dlt645Version, di: string, name: string, nameZh: string, fmt: Fmt, unit = ''): void {
  TABLE.set(di, { di, version, name, nameZh, fmt, unit });
}
const add07 = (di: string, name: string, nameZh: string, fmt: Fmt, unit = ''): void =>
  add('2007', di, name, nameZh, fmt, unit);
const add97 = (di: string, name: string, nameZh: string, fmt: Fmt, unit = ''): void =>
  add('1997', di, name, nameZh, fmt, unit);

const tariffEn = (t: number): string => (t === 0 ? 'total' : `T${t}`);
const tariffZh = (t: number): string => (t === 0 ? '总' : `费率${t}`);
const whenEn = (s: number): string => (s === 0 ? '' : ` (last-${s} settlement)`);
const whenZh = (s: number): string => (s === 0 ? '(当前)' : `(上${s}结算日)`);

// ---- 2007 A.1 energy: 00 TT RR SS (TT type, RR tariff 00-04 or FF block, SS settlement 00-0C or FF)
const ENERGY_TYPES: [number, string, string, string, boolean][] = [
  [0x00, 'combined active', '组合有功', 'kWh', true],
  [0x01, 'positive active', '正向有功', 'kWh', false],
  [0x02, 'reverse active', '反向有功', 'kWh', false],
  [0x03, 'combined reactive 1', '组合无功1', 'kvarh', true],
  [0x04, 'combined reactive 2', '组合无功2', 'kvarh', true],
  [0x05, 'quadrant I reactive', '第一象限无功', 'kvarh', false],
  [0x06, 'quadrant II reactive', '第二象限无功', 'kvarh', false],
  [0x07, 'quadrant III reactive', '第三象限无功', 'kvarh', false],
  [0x08, 'quadrant IV reactive', '第四象限无功', 'kvarh', false],
  [0x09, 'positive apparent', '正向视在', 'kVAh', false],
  [0x0a, 'reverse apparent', '反向视在', 'kVAh', false],
];
for (const [tt, en, zh, unit, signed] of ENERGY_TYPES) {
  const one = signed ? ENERGY_SIGNED : ENERGY;
  for (let s = 0; s <= 12; s++) {
    for (let r = 0; r <= 4; r++) {
      add07(
        `00${h2(tt)}${h2(r)}${h2(s)}`,
        `${en} ${tariffEn(r)} energy${whenEn(s)}`,
        `${whenZh(s)}${zh}${tariffZh(r)}电能`,
        one,
        unit,
      );
    }
    add07(
      `00${h2(tt)}FF${h2(s)}`,
      `${en} energy block (total,T1..Tn)${whenEn(s)}`,
      `${whenZh(s)}${zh}电能数据块`,
      block(one, TARIFFS),
      unit,
    );
  }
  for (let r = 0; r <= 4; r++) {
    add07(
      `00${h2(tt)}${h2(r)}FF`,
      `${en} ${tariffEn(r)} energy, current and last-1..12 settlements`,
      `${zh}${tariffZh(r)}电能(当前及上1-12结算日)`,
      block(one, SETTLEMENTS),
      unit,
    );
  }
}
// prepaid (cost-control) meters
add07('00900100', 'remaining energy', '(当前)剩余电量', ENERGY, 'kWh');
add07('00900101', 'overdraft energy', '(当前)透支电量', ENERGY, 'kWh');
add07('00900200', 'remaining money (balance)', '(当前)剩余金额', ENERGY, 'CNY');
add07('00900201', 'overdraft money', '(当前)透支金额', ENERGY, 'CNY');

// ---- 2007 A.2 maximum demand and its time: 01 TT RR SS
const DEMAND = rec(field('demand', num(3, 4)), field('time', time('YYMMDDhhmm')));
for (const [tt, en, zh, unit] of [
  [0x01, 'positive active', '正向有功', 'kW'],
  [0x02, 'reverse active', '反向有功', 'kW'],
] as const) {
  for (let s = 0; s <= 12; s++) {
    for (let r = 0; r <= 4; r++) {
      add07(
        `01${h2(tt)}${h2(r)}${h2(s)}`,
        `${en} ${tariffEn(r)} maximum demand and time${whenEn(s)}`,
        `${whenZh(s)}${zh}${tariffZh(r)}最大需量及发生时间`,
        DEMAND,
        unit,
      );
    }
    add07(
      `01${h2(tt)}FF${h2(s)}`,
      `${en} maximum demand block${whenEn(s)}`,
      `${whenZh(s)}${zh}最大需量及发生时间数据块`,
      block(DEMAND, TARIFFS),
      unit,
    );
  }
}

// ---- 2007 A.3 instantaneous variables: 02 QQ PP 00 (PP 00 total, 01-03 phase A-C, FF block)
const PHASE_VARS: [number, string, string, Fmt, string, boolean][] = [
  [0x01, 'voltage', '电压', num(2, 1), 'V', false],
  [0x02, 'current', '电流', num(3, 3, true), 'A', false],
  [0x03, 'active power', '有功功率', num(3, 4, true), 'kW', true],
  [0x04, 'reactive power', '无功功率', num(3, 4, true), 'kvar', true],
  [0x05, 'apparent power', '视在功率', num(3, 4, true), 'kVA', true],
  [0x06, 'power factor', '功率因数', num(2, 3, true), '', true],
  [0x07, 'phase angle', '相角', num(2, 1), '°', false],
];
for (const [qq, en, zh, fmt, unit, total] of PHASE_VARS) {
  if (total) add07(`02${h2(qq)}0000`, `total ${en}`, `总${zh}`, fmt, unit);
  for (const [i, p] of PHASES.entries())
    add07(`02${h2(qq)}${h2(i + 1)}00`, `phase ${p} ${en}`, `${p}相${zh}`, fmt, unit);
  add07(
    `02${h2(qq)}FF00`,
    `${en} block (${(total ? POWER : PHASES).join(',')})`,
    `${zh}数据块`,
    block(fmt, total ? POWER : PHASES),
    unit,
  );
}
add07('02800001', 'neutral current', '零线电流', num(3, 3, true), 'A');
add07('02800002', 'grid frequency', '电网频率', num(2, 2), 'Hz');
add07('02800003', 'one-minute average active power', '一分钟有功总平均功率', num(3, 4, true), 'kW');
add07('02800004', 'current active demand', '当前有功需量', num(3, 4, true), 'kW');
add07('02800005', 'current reactive demand', '当前无功需量', num(3, 4, true), 'kvar');
add07('02800006', 'current apparent demand', '当前视在需量', num(3, 4, true), 'kVA');
add07('02800007', 'meter temperature', '表内温度', num(2, 1, true), '°C');
add07('02800008', 'clock battery voltage', '时钟电池电压(内部)', num(2, 2), 'V');
add07('02800009', 'meter-reading battery voltage', '停电抄表电池电压(外部)', num(2, 2), 'V');
add07('0280000A', 'internal battery working time', '内部电池工作时间', num(4, 0), 'min');

// ---- 2007 A.4 events
const count = (di: string, en: string, zh: string): void =>
  add07(di, `${en} count`, `${zh}总次数`, num(3, 0));
const lastN = (n: number, en: string, zh: string): [string, string] => [`last-${n} ${en}`, `(上${n}次)${zh}`];
function records(
  prefix: string,
  from: number,
  to: number,
  en: string,
  zh: string,
  fmt: Fmt,
  unit = '',
): void {
  for (let n = from; n <= to; n++) add07(`${prefix}${h2(n)}`, ...lastN(n, en, zh), fmt, unit);
}
const SNAPSHOT = ['positiveActive', 'reverseActive', 'q1Reactive', 'q2Reactive', 'q3Reactive', 'q4Reactive'];
const snapshot = (suffix: string): RecField[] => SNAPSHOT.map((k) => field(`${k}${suffix}`, ENERGY));
count('03110000', 'power-down', '掉电');
records('031100', 1, 10, 'power-down record', '掉电记录', rec(field('start', STAMP), field('end', STAMP)));
count('03300000', 'programming', '编程');
const PROGRAMMED = Array.from({ length: 10 }, (_, i) => field(`di${i + 1}`, hex(4)));
records(
  '033000',
  1,
  10,
  'programming record',
  '编程记录',
  rec(field('time', STAMP), field('operator', hex(4)), ...PROGRAMMED),
);
count('03300100', 'meter clear', '电表清零');
count('03300200', 'demand clear', '需量清零');
count('03300300', 'event clear', '事件清零');
records(
  '033003',
  1,
  10,
  'event clear record',
  '事件清零记录',
  rec(field('time', STAMP), field('operator', hex(4)), field('eventDi', hex(4))),
);
count('03300400', 'time setting', '校时');
records(
  '033004',
  1,
  10,
  'time setting record',
  '校时记录',
  rec(field('operator', hex(4)), field('before', STAMP), field('after', STAMP)),
);
const COVER = rec(field('start', STAMP), field('end', STAMP), ...snapshot('Before'), ...snapshot('After'));
count('03300D00', 'meter cover opening', '开表盖');
records('03300D', 1, 10, 'meter cover opening record', '开表盖记录', COVER, 'kWh');
count('03300E00', 'terminal cover opening', '开端钮盒');
records('03300E', 1, 10, 'terminal cover opening record', '开端钮盒记录', COVER, 'kWh');
const RELAY_RECORD = rec(field('time', STAMP), field('operator', hex(4)), ...snapshot(''));
records('1D0000', 1, 10, 'trip record', '跳闸记录', RELAY_RECORD, 'kWh');
records('1E0000', 1, 10, 'close record', '合闸记录', RELAY_RECORD, 'kWh');
records('033301', 1, 10, 'purchase time', '购电日期', time('YYMMDDhhmm'));
records('033302', 1, 10, 'purchase count after purchase', '购电后总购电次数', num(2, 0));
records('033303', 1, 10, 'purchase amount', '购电金额', ENERGY, 'CNY');
records('033304', 1, 10, 'balance before purchase', '购电前剩余金额', ENERGY, 'CNY');
records('033305', 1, 10, 'balance after purchase', '购电后剩余金额', ENERGY, 'CNY');
records('033306', 1, 10, 'cumulative purchase amount', '购电后累计购电金额', ENERGY, 'CNY');

// ---- 2007 A.5 parameters
add07('04000101', 'date and weekday', '日期及星期', time('YYMMDDWW'));
add07('04000102', 'time', '时间', time('hhmmss'));
add07('04000103', 'demand period', '最大需量周期', num(1, 0), 'min');
add07('04000104', 'sliding window time', '滑差时间', num(1, 0), 'min');
add07('04000401', 'communication address', '通信地址', { t: 'digits', n: 6 });
add07('04000402', 'meter number', '表号', { t: 'digits', n: 6 });
add07('04000409', 'active constant', '电表有功常数', num(3, 0), 'imp/kWh');
add07('0400040A', 'reactive constant', '电表无功常数', num(3, 0), 'imp/kvarh');
for (let i = 1; i <= 7; i++)
  add07(`040005${h2(i)}`, `meter running status word ${i}`, `电表运行状态字${i}`, hex(2));
for (let i = 1; i <= 3; i++)
  add07(`04000B${h2(i)}`, `settlement day ${i} (DD hh)`, `每月第${i}结算日`, time('DDhh'));
for (let i = 0; i <= 9; i++) add07(`04000C${h2(i + 1)}`, `level ${i} password`, `${i}级密码`, hex(4));
add07('04001001', 'alarm amount 1 limit', '报警金额1限值', ENERGY, 'CNY');
add07('04001002', 'alarm amount 2 limit', '报警金额2限值', ENERGY, 'CNY');
add07('04001003', 'overdraft amount limit', '透支金额限值', ENERGY, 'CNY');
add07('04001004', 'hoarding amount limit', '囤积金额限值', ENERGY, 'CNY');
add07('04001005', 'close-allowed amount limit', '合闸允许金额限值', ENERGY, 'CNY');

// ---- 2007 A.6 frozen data: 05 KK TT nn (KK freeze kind, TT 00 time / 01.. data, nn last 1..N)
const FREEZES: [number, string, string, number][] = [
  [0x00, 'timed freeze', '定时冻结', 12],
  [0x01, 'instant freeze', '瞬时冻结', 3],
  [0x06, 'daily freeze', '日冻结', 62],
];
const FROZEN_VARS = rec(
  ...POWER.map((p) => field(`activePower${p}`, num(3, 4, true), 'kW')),
  ...POWER.map((p) => field(`reactivePower${p}`, num(3, 4, true), 'kvar')),
);
for (const [kk, en, zh, max] of FREEZES) {
  for (let n = 1; n <= max; n++) {
    const pre = `05${h2(kk)}`;
    add07(`${pre}00${h2(n)}`, `last-${n} ${en} time`, `(上${n}次)${zh}时间`, time('YYMMDDhhmm'));
    for (const [tt, ten, tzh, unit, signed] of ENERGY_TYPES.slice(1, 9)) {
      add07(
        `${pre}${h2(tt)}${h2(n)}`,
        `last-${n} ${en} ${ten} energy block (total,T1..Tn)`,
        `(上${n}次)${zh}${tzh}电能数据`,
        block(signed ? ENERGY_SIGNED : ENERGY, TARIFFS),
        unit,
      );
    }
    add07(
      `${pre}09${h2(n)}`,
      `last-${n} ${en} positive active maximum demand block`,
      `(上${n}次)${zh}正向有功最大需量及发生时间数据`,
      block(DEMAND, TARIFFS),
      'kW',
    );
    add07(
      `${pre}0A${h2(n)}`,
      `last-${n} ${en} reverse active maximum demand block`,
      `(上${n}次)${zh}反向有功最大需量及发生时间数据`,
      block(DEMAND, TARIFFS),
      'kW',
    );
    add07(
      `${pre}10${h2(n)}`,
      `last-${n} ${en} variables (active/reactive power)`,
      `(上${n}次)${zh}变量数据`,
      FROZEN_VARS,
    );
  }
}
for (let n = 1; n <= 254; n++) {
  add07(`050400${h2(n)}`, `last-${n} hourly freeze time`, `(上${n}次)整点冻结时间`, time('YYMMDDhhmm'));
  add07(
    `050401${h2(n)}`,
    `last-${n} hourly freeze positive active total energy`,
    `(上${n}次)整点冻结正向有功总电能`,
    ENERGY,
    'kWh',
  );
  add07(
    `050402${h2(n)}`,
    `last-${n} hourly freeze reverse active total energy`,
    `(上${n}次)整点冻结反向有功总电能`,
    ENERGY,
    'kWh',
  );
}

// ---- 1997: 9XYZ energy (X: 0 current / 4 last month / 8 month before; Y: kind; Z: 0 total, 1-4 tariff, F block)
const ENERGY_1997: [string, string, string, string][] = [
  ['01', 'positive active', '正向有功', 'kWh'],
  ['02', 'reverse active', '反向有功', 'kWh'],
  ['11', 'positive reactive', '正向无功', 'kvarh'],
  ['12', 'reverse reactive', '反向无功', 'kvarh'],
  ['13', 'quadrant I reactive', '一象限无功', 'kvarh'],
  ['14', 'quadrant IV reactive', '四象限无功', 'kvarh'],
  ['15', 'quadrant II reactive', '二象限无功', 'kvarh'],
  ['16', 'quadrant III reactive', '三象限无功', 'kvarh'],
];
const MONTHS: [number, string, string][] = [
  [0, '', '(当前)'],
  [4, ' (last month)', '(上月)'],
  [8, ' (month before last)', '(上上月)'],
];
for (const [m, wEn, wZh] of MONTHS) {
  for (const [ky, en, zh, unit] of ENERGY_1997) {
    const di = `9${Number(ky[0]) + m}${ky[1]}`;
    for (let r = 0; r <= 4; r++)
      add97(`${di}${r}`, `${en} ${tariffEn(r)} energy${wEn}`, `${wZh}${zh}${tariffZh(r)}电能`, ENERGY, unit);
    add97(
      `${di}F`,
      `${en} energy block (total,T1..T4)${wEn}`,
      `${wZh}${zh}电能数据块`,
      block(ENERGY, TARIFFS_1997),
      unit,
    );
  }
}
for (const [y, en, zh] of [
  ['1', 'positive active', '正向有功'],
  ['2', 'reverse active', '反向有功'],
]) {
  for (let r = 0; r <= 4; r++) {
    add97(
      `A0${y}${r}`,
      `${en} ${tariffEn(r)} maximum demand`,
      `${zh}${tariffZh(r)}最大需量`,
      num(3, 4),
      'kW',
    );
    add97(
      `B0${y}${r}`,
      `${en} ${tariffEn(r)} maximum demand time`,
      `${zh}${tariffZh(r)}最大需量发生时间`,
      time('MMDDhhmm'),
    );
  }
}
add97('B210', 'last programming time', '最近一次编程时间', time('MMDDhhmm'));
add97('B211', 'last demand clear time', '最近一次最大需量清零时间', time('MMDDhhmm'));
add97('B212', 'programming count', '编程次数', num(2, 0));
add97('B213', 'demand clear count', '最大需量清零次数', num(2, 0));
add97('B214', 'battery working time', '电池工作时间', num(3, 0), 'min');
add97('B310', 'phase failure total count', '总断相次数', num(2, 0));
for (const [i, p] of PHASES.entries()) {
  add97(`B31${i + 1}`, `phase ${p} failure count`, `${p}相断相次数`, num(2, 0));
  add97(`B32${i + 1}`, `phase ${p} failure time`, `${p}相断相时间累计值`, num(3, 0), 'min');
}
add97('B320', 'phase failure total time', '断相时间累计值', num(3, 0), 'min');
const VARS_1997: [string, string, string, Fmt, string, boolean][] = [
  ['1', 'voltage', '电压', num(2, 0), 'V', false],
  ['2', 'current', '电流', num(2, 2), 'A', false],
  ['3', 'active power', '有功功率', num(3, 4), 'kW', true],
  ['4', 'reactive power', '无功功率', num(2, 2), 'kvar', true],
  ['5', 'power factor', '功率因数', num(2, 3), '', true],
];
for (const [y, en, zh, fmt, unit, total] of VARS_1997) {
  if (total) add97(`B6${y}0`, `total ${en}`, `总${zh}`, fmt, unit);
  for (const [i, p] of PHASES.entries())
    add97(`B6${y}${i + 1}`, `phase ${p} ${en}`, `${p}相${zh}`, fmt, unit);
  add97(
    `B6${y}F`,
    `${en} block (${(total ? POWER : PHASES).join(',')})`,
    `${zh}数据块`,
    block(fmt, total ? POWER : PHASES),
    unit,
  );
}
add97('C010', 'date and weekday', '日期及周次', time('YYMMDDWW'));
add97('C011', 'time', '时间', time('hhmmss'));
add97('C020', 'meter running status word', '电表运行状态字', hex(1));
add97('C021', 'grid status word', '电网状态字', hex(1));
add97('C030', 'active constant', '电表常数(有功)', num(3, 0), 'imp/kWh');
add97('C031', 'reactive constant', '电表常数(无功)', num(3, 0), 'imp/kvarh');
add97('C032', 'meter number', '表号', { t: 'digits', n: 6 });
add97('C033', 'user number', '用户号', { t: 'digits', n: 6 });
add97('C034', 'device code', '设备码', { t: 'digits', n: 6 });
add97('C111', 'demand period', '最大需量周期', num(1, 0), 'min');
add97('C112', 'sliding window time', '滑差时间', num(1, 0), 'min');
add97('C117', 'automatic reading day (DD hh)', '自动抄表日期', time('DDhh'));
