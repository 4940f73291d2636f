import type { Template } from './template.ts';

/** A code-defined meter type: registers, checks and usage in sibling files, a fixture, the contract. */
export const meterTypeTemplate: Template = ({ id, title }) => ({
  'src/index.ts': `import { bitTableStatus, cjt188StatusTable, defineMeterType } from '@quadmeter/sdk';
import { registers } from './registers.ts';
import { usage, validate } from './validate.ts';

export default defineMeterType({
  kind: 'meter-type',
  id: '${id}',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '${title}', en: '${title}' },
  medium: 'water',
  registers,
  // the status word as CJ/T 188 sends it; add a table per protocol with protocolStatus({ … })
  ...bitTableStatus(cjt188StatusTable, 'cjt188'),
  validate,
  usage,
  defaultAnomalyRules: [],
  displayUnits: [],
});
`,
  'src/registers.ts': `import type { RegisterDef } from '@quadmeter/sdk';

/** What the meter reports: one billable counter (8 integer digits, 2 decimals) and a flow rate. */
export const registers: readonly RegisterDef[] = [
  {
    key: 'totalVolume',
    title: { 'zh-CN': '累计流量', en: 'Total volume' },
    unit: 'm3',
    decimals: 2,
    rolloverMax: 99999999.99,
    billable: true,
    kind: 'cumulative',
  },
  {
    key: 'flowRate',
    title: { 'zh-CN': '瞬时流量', en: 'Flow rate' },
    unit: 'm3/h',
    decimals: 4,
    billable: false,
    kind: 'instant',
    min: 0,
    max: 100,
  },
];
`,
  'src/validate.ts': `import { cumulativeUsage, type MeterReading, readingIssues, type ReadingIssue, type Usage } from '@quadmeter/sdk';
import { registers } from './registers.ts';

/** The most a household counter plausibly grows in a day; more is flagged. */
const MAX_PER_DAY = { totalVolume: 50 };

export function validate(prev: MeterReading | null, next: MeterReading): ReadingIssue[] {
  return readingIssues(registers, prev, next, { maxPerDay: MAX_PER_DAY });
}

export function usage(prev: MeterReading, next: MeterReading, options?: { replacement?: never }): Usage {
  return cumulativeUsage(registers, prev, next, { replacement: options?.replacement });
}
`,
  'fixtures/readings.json': `${JSON.stringify(
    [
      { ts: '2025-03-01T00:00:00.000Z', registers: { totalVolume: 120.5, flowRate: 0.012 } },
      { ts: '2025-03-02T00:00:00.000Z', registers: { totalVolume: 121.75, flowRate: 0 } },
    ],
    null,
    2,
  )}\n`,
  'src/contract.test.ts': `import { describeMeterTypeContract } from '@quadmeter/sdk/testing';
import { describe, expect, it } from 'vitest';
import readings from '../fixtures/readings.json' with { type: 'json' };
import plugin from './index.ts';

describeMeterTypeContract(plugin);

describe('${id} fixtures', () => {
  it('accepts the recorded readings and bills the step between them', () => {
    const [prev, next] = readings;
    expect(plugin.validate(null, prev).filter((i) => i.severity === 'error')).toEqual([]);
    expect(plugin.validate(prev, next).filter((i) => i.severity === 'error')).toEqual([]);
    expect(plugin.usage(prev, next).registers.totalVolume).toBe(1.25);
  });
});
`,
});
