import { collectorInterfaces } from '../../db/schema/index.ts';
import { intColumn, textColumn } from './column-defs.ts';
import type { ColumnDef } from './entity.ts';
import { bad, ok, parseEnum } from './parse.ts';

const statusAliases = { 正常: 'active', 拆除: 'removed', 已拆除: 'removed' } as const;
const interfaceAliases = {
  'rs-485': 'rs485',
  'm-bus': 'mbus',
  无线: 'wireless',
  微功率无线: 'wireless',
} as const;

const status: ColumnDef = {
  key: 'status',
  header: { 'zh-CN': '状态', en: 'Status' },
  max: 16,
  parse: (s) => parseEnum(s, ['active', 'removed'] as const, statusAliases),
  example: 'active',
};

const hex = (digits: string, message: string) => (s: string) =>
  new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(s) ? ok(s.toUpperCase()) : bad('address_syntax', message);

/** The concentrators sheet (集中器): number, A1/A2, SIM and ICCID, area. */
export const concentratorColumns: ColumnDef[] = [
  textColumn('number', '集中器编号', 'Concentrator number', 64, { required: true, example: 'JZQ-001' }),
  textColumn('name', '名称', 'Name', 200, { example: '1号楼集中器' }),
  textColumn('a1', '行政区划码(A1)', 'Region code (A1)', 8, {
    required: true,
    parse: hex('4', 'must be 4 hex digits'),
    example: '3501',
  }),
  { ...intColumn('a2', '终端地址(A2)', 'Terminal address (A2)', 1, 65535, '1'), required: true },
  textColumn('sim', 'SIM卡号', 'SIM number', 32),
  textColumn('iccid', 'ICCID', 'ICCID', 32, {
    parse: (s) =>
      /^[0-9A-Fa-f]{19,20}$/.test(s) ? ok(s.toUpperCase()) : bad('iccid', 'must be 19–20 digits'),
  }),
  textColumn('area', '所属区域', 'Area', 500, { required: true }),
  status,
];

/** The collectors sheet (采集器): number, interface, address, the concentrator it hangs off, area. */
export const collectorColumns: ColumnDef[] = [
  textColumn('number', '采集器编号', 'Collector number', 64, { required: true, example: 'CJQ-001' }),
  {
    key: 'interface',
    header: { 'zh-CN': '接口类型', en: 'Interface' },
    max: 16,
    required: true,
    parse: (s) => parseEnum(s, collectorInterfaces, interfaceAliases),
    example: 'rs485',
  },
  textColumn('address', '采集器地址', 'Collector address', 16, {
    required: true,
    parse: hex('1,16', 'must be 1–16 hex digits'),
    example: '000000000001',
  }),
  textColumn('concentrator', '所属集中器', 'Concentrator', 64, { example: 'JZQ-001' }),
  textColumn('area', '所属区域', 'Area', 500, { required: true }),
  status,
];
