import type { MeterSegment } from './estate-bulk.ts';

/**
 * The line key of the demo's simulated RS-485 line. The simulator listens on a port chosen at
 * start (QUADMETER_SIM_PORT, else a free one), so the archive names the line, not the port: the
 * reading engine maps `demo-bus` to the `serialUrl` that startDemoSimulators reports.
 */
export const DEMO_BUS_LINE = 'demo-bus';
/**
 * The demo's Q/GDW 1376.1 concentrator: `quadmeter sim concentrator --a1 3501 --a2 1 --meters 1182`
 * (npm start runs it, dialing into the master station: demo-simulators.ts).
 */
export const DEMO_CONCENTRATOR = { number: 'JZQ-3501-00001', a1: '3501', a2: 1, points: 1182 } as const;

const CJT188_INITIAL = (n: number) => 100 + n * 3.25;

/**
 * The 18 meters of the demo's RS-485 line (startDemoSimulators: populateBus with 8 DL/T 645 of
 * which the last 2 speak 1997, 6 CJ/T 188 cycling cold water / gas / heat, 4 M-Bus with odd
 * primary addresses water and even ones heat, addressed here by their secondary id), with the
 * simulator's addresses and starting readings, all on the institution's account.
 */
export function busSegments(cust: number): MeterSegment[] {
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

export interface Field {
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
export function fieldSegments(f: Field): MeterSegment[] {
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
