import type { AnomalyRule } from '../kinds/anomaly-rule.ts';
import type { ReadingIssue, RegisterDef } from '../kinds/meter-type.ts';
import type { MeterReading } from '../kinds/reading.ts';
import type { BitField } from './status-bits.ts';

/**
 * CJ/T 188 status ST of a valve meter (water T = 10..13, heat T = 20/21, gas T = 30), two bytes
 * as sent: the word is ST1 | ST2 << 8. ST1 D1D0 is the valve (00 open, 01 closed, 11 abnormal;
 * 10 is not assigned), D2 low battery; ST1 D3..D7 and all of ST2 are vendor defined and only
 * reported as "vendor bits set".
 */
export const cjt188StatusTable: readonly BitField[] = [
  {
    key: 'valve',
    title: { 'zh-CN': '阀门', en: 'Valve' },
    shift: 0,
    values: ['open', 'closed', 'unknown', 'abnormal'],
  },
  { key: 'batteryLow', title: { 'zh-CN': '电池欠压', en: 'Battery low' }, mask: 0x0004 },
  { key: 'vendorBits', title: { 'zh-CN': '厂家自定义状态', en: 'Vendor status bits' }, mask: 0xfff8 },
];

/**
 * EN 13757-3 status byte of an M-Bus meter: D1D0 application status (00 no error, 01 busy,
 * 10 application error, 11 abnormal condition), D2 power low, D3 permanent error, D4 temporary
 * error, D5..D7 manufacturer specific.
 */
export const mbusStatusTable: readonly BitField[] = [
  {
    key: 'application',
    title: { 'zh-CN': '应用状态', en: 'Application status' },
    shift: 0,
    values: ['ok', 'busy', 'error', 'abnormal'],
  },
  { key: 'batteryLow', title: { 'zh-CN': '电池欠压', en: 'Battery low' }, mask: 0x04 },
  { key: 'permanentError', title: { 'zh-CN': '永久故障', en: 'Permanent error' }, mask: 0x08 },
  { key: 'temporaryError', title: { 'zh-CN': '临时故障', en: 'Temporary error' }, mask: 0x10 },
  { key: 'vendorBits', title: { 'zh-CN': '厂家自定义状态', en: 'Vendor status bits' }, mask: 0xe0 },
];

/** The valve position a valve meter reports as a reading register. */
export const valveRegister: RegisterDef = {
  key: 'valve',
  title: { 'zh-CN': '阀门状态', en: 'Valve' },
  unit: '',
  decimals: 0,
  billable: false,
  kind: 'state',
  states: ['open', 'closed', 'abnormal', 'unknown'],
};

/** The voltage of a battery-powered meter's cell. */
export const batteryVoltageRegister: RegisterDef = {
  key: 'batteryVoltage',
  title: { 'zh-CN': '电池电压', en: 'Battery voltage' },
  unit: 'V',
  decimals: 2,
  billable: false,
  kind: 'instant',
  min: 0,
  max: 5,
};

/** Default anomaly rules on the battery and valve fields of the CJ/T 188 status. */
export const valveMeterStatusRules: readonly AnomalyRule[] = [
  {
    id: 'battery-low',
    title: { 'zh-CN': '电池欠压', en: 'Battery low' },
    severity: 'warning',
    type: 'status',
    field: 'batteryLow',
    equals: true,
  },
  {
    id: 'valve-abnormal',
    title: { 'zh-CN': '阀门异常', en: 'Valve fault' },
    severity: 'alarm',
    type: 'status',
    field: 'valve',
    equals: 'abnormal',
  },
];

/** Growth up to this while the valve reads closed is counter noise, not flow. */
export const CLOSED_VALVE_TOLERANCE = 0.01;

export interface ClosedValveUsage {
  /** how much the metered volume grew between the two readings; undefined when not known */
  used: number | undefined;
  /** the register the finding names, if any */
  register?: string;
  /** the finding's text for the amount used */
  message: (used: number) => string;
}

/**
 * USAGE_WITH_VALVE_CLOSED when the valve register reads closed in both readings and yet more
 * than the tolerance passed: a leaking valve or a tampered meter.
 */
export function closedValveUsageIssues(
  prev: MeterReading,
  next: MeterReading,
  usage: ClosedValveUsage,
): ReadingIssue[] {
  if (prev.registers.valve !== 'closed' || next.registers.valve !== 'closed') return [];
  const { used } = usage;
  if (used === undefined || used <= CLOSED_VALVE_TOLERANCE) return [];
  return [
    {
      code: 'USAGE_WITH_VALVE_CLOSED',
      severity: 'warning',
      ...(usage.register === undefined ? {} : { register: usage.register }),
      message: usage.message(used),
    },
  ];
}
