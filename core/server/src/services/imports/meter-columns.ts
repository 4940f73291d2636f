import { meterControls, meterProtocols, routeVias } from '../../db/schema/index.ts';
import { isSerialLine, serialBauds } from '../archives/meter-address.ts';
import { intColumn, textColumn } from './column-defs.ts';
import type { ColumnDef } from './entity.ts';
import { bad, ok, parseDate, parseEnum, parseInt32 } from './parse.ts';

const kindAliases: Record<string, string> = {
  水表: 'meter-water',
  电表: 'meter-power',
  燃气表: 'meter-gas',
  气表: 'meter-gas',
  热表: 'meter-heat',
  热量表: 'meter-heat',
  water: 'meter-water',
  power: 'meter-power',
  gas: 'meter-gas',
  heat: 'meter-heat',
};
const controlAliases = {
  无: 'none',
  阀门: 'valve',
  阀控: 'valve',
  继电器: 'relay',
  拉合闸: 'relay',
} as const;
const viaAliases = { 串口: 'serial', rs485: 'serial', 集中器: 'concentrator', 'nb-iot': 'nbiot' } as const;
const platformAliases = { 电信aep: 'ctwing', 移动onenet: 'onenet', 华为iotda: 'iotda' } as const;
const parityAliases = { 偶: 'E', 无: 'N', 奇: 'O', even: 'E', none: 'N', odd: 'O' } as const;

/** A meter kind: an installed plugin's id or a common name (checked against the plugins later). */
function parseKind(s: string) {
  const k = kindAliases[s] ?? kindAliases[s.toLowerCase()] ?? s;
  return /^[a-z][a-z0-9-]{0,63}$/.test(k) ? ok(k) : bad('unknown_kind', `no meter type ${s}`);
}

/**
 * The meters sheet: the meter, its area and account (by number), and where it is reached — a
 * serial line (+ collector and channel), a concentrator and measuring point, an NB-IoT platform
 * (the IMEI is the address; or a platform device id) or LoRa (the DevEUI is the address).
 */
export const meterColumns: ColumnDef[] = [
  textColumn('assetNo', '资产编号', 'Asset number', 64, { required: true, example: 'W000001' }),
  {
    key: 'kind',
    header: { 'zh-CN': '表类型', en: 'Kind' },
    required: true,
    max: 64,
    parse: parseKind,
    example: 'meter-water',
  },
  {
    key: 'protocol',
    header: { 'zh-CN': '通信协议', en: 'Protocol' },
    required: true,
    max: 16,
    parse: (s) => parseEnum(s, meterProtocols),
    example: 'cjt188',
  },
  textColumn('commAddress', '通信地址', 'Communication address', 32, {
    required: true,
    example: '00000000000001',
  }),
  textColumn('vendorProfile', '厂商规约', 'Vendor profile', 64),
  textColumn('model', '型号', 'Model', 100),
  textColumn('vendor', '厂家', 'Vendor', 100),
  intColumn('ctRatio', 'CT变比', 'CT ratio', 1, 100_000),
  intColumn('ptRatio', 'PT变比', 'PT ratio', 1, 100_000),
  intColumn('digits', '表位数', 'Register digits', 1, 12, '8'),
  {
    key: 'initialReading',
    header: { 'zh-CN': '初始读数', en: 'Initial reading' },
    max: 30,
    // a decimal string: checked against the register digits with the row
    parse: (s) =>
      /^\d{1,16}(\.\d{1,4})?$/.test(s) ? ok(s) : bad('number', 'must be digits with at most 4 decimals'),
    example: '0',
  },
  { key: 'installDate', header: { 'zh-CN': '安装日期', en: 'Install date' }, max: 32, parse: parseDate },
  textColumn('location', '安装位置', 'Location', 200),
  textColumn('area', '所属区域', 'Area', 500, { required: true }),
  textColumn('accountNumber', '账户编号', 'Account number', 64),
  {
    key: 'control',
    header: { 'zh-CN': '阀控能力', en: 'Valve/relay' },
    max: 16,
    parse: (s) => parseEnum(s, meterControls, controlAliases),
    example: 'none',
  },
  {
    key: 'via',
    header: { 'zh-CN': '接入方式', en: 'Route' },
    max: 16,
    parse: (s) => parseEnum(s, routeVias, viaAliases),
  },
  textColumn('line', '线路', 'Serial line', 200, {
    parse: (s) => (isSerialLine(s) ? ok(s) : bad('serial_line', 'must be tcp://host:port or tty:/dev/…')),
  }),
  {
    key: 'baud',
    header: { 'zh-CN': '波特率', en: 'Baud' },
    max: 8,
    parse: (s) => {
      const n = parseInt32(s, 300, 115_200);
      if (!n.ok) return n;
      return (serialBauds as readonly number[]).includes(n.value)
        ? n
        : bad('option', `must be one of ${serialBauds.join(', ')}`);
    },
  },
  {
    key: 'parity',
    header: { 'zh-CN': '校验位', en: 'Parity' },
    max: 8,
    parse: (s) => parseEnum(s, ['E', 'N', 'O'] as const, parityAliases),
  },
  textColumn('collector', '采集器编号', 'Collector number', 64),
  intColumn('channel', '采集器通道', 'Collector channel', 0, 255),
  textColumn('concentrator', '集中器', 'Concentrator', 64),
  intColumn('pointNo', '测量点号', 'Measuring point', 1, 2040),
  intColumn('port', '端口号', 'Port', 1, 31),
  {
    key: 'platform',
    header: { 'zh-CN': 'NB平台', en: 'NB-IoT platform' },
    max: 16,
    parse: (s) => parseEnum(s, ['ctwing', 'onenet', 'iotda'] as const, platformAliases),
  },
  textColumn('deviceId', '平台设备ID', 'Platform device id', 64, {
    parse: (s) => (/^[A-Za-z0-9_-]{1,64}$/.test(s) ? ok(s) : bad('device_id', 'letters, digits, _ and -')),
  }),
];

/** The columns that state a route; a file without any of them keeps each meter's stored route. */
export const ROUTE_COLUMNS = [
  'via',
  'line',
  'baud',
  'parity',
  'collector',
  'channel',
  'concentrator',
  'pointNo',
  'port',
  'platform',
  'deviceId',
] as const;
