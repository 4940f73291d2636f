import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validatePlugin } from './any-plugin.ts';
import { defineMeterType } from './meter-type.ts';
import { defineTransport } from './transport.ts';

const title = { 'zh-CN': '示例', en: 'Example' };

const meter = defineMeterType({
  kind: 'meter-type',
  id: 'meter-example',
  version: '1.0.0-beta.1',
  apiVersion: 1,
  title,
  tenantSettings: z.object({ digits: z.number().default(5) }),
  medium: 'water',
  registers: [
    {
      key: 'total',
      title,
      unit: 'm3',
      decimals: 3,
      rolloverMax: 99999.999,
      billable: true,
      kind: 'cumulative',
    },
  ],
  statusFields: [{ key: 'batteryLow', title }],
  validate: () => [],
  usage: () => ({ registers: {}, rolledOver: [] }),
  statusProtocols: ['cjt188'],
  decodeStatus: () => ({ batteryLow: false }),
  defaultAnomalyRules: [{ id: 'stuck', title, severity: 'info', type: 'stuck', register: 'total', days: 30 }],
  displayUnits: [{ register: 'total', unit: 'L', title, factor: 1000, decimals: 0 }],
});

const paths = (p: unknown) => validatePlugin(p).map((i) => i.path);

describe('validatePlugin', () => {
  it('accepts a complete definition', () => {
    expect(validatePlugin(meter)).toEqual([]);
  });

  it('names each broken header field', () => {
    expect(validatePlugin(null)).toEqual([{ path: '(root)', message: 'must be an object' }]);
    expect(
      paths({
        ...meter,
        id: 'Meter Example',
        version: '1.0',
        apiVersion: 0,
        title: { en: 'x' },
        start: 'go',
      }),
    ).toEqual(expect.arrayContaining(['id', 'version', 'apiVersion', 'title.zh-CN', 'start']));
    expect(paths({ ...meter, config: { parse: () => 1 } })).toEqual(['config']);
    expect(paths({ ...meter, id: 'transport-example' })).toEqual(['id']);
    expect(paths({ ...meter, dependsOn: ['meter-example'] })).toEqual(['dependsOn']);
    expect(paths({ ...meter, kind: 'printer' })).toEqual(['kind']);
  });

  it('checks registers and their cross references', () => {
    const r = meter.registers[0];
    expect(paths({ ...meter, registers: [r, r] })).toEqual(['registers']);
    expect(paths({ ...meter, registers: [{ ...r, key: 'Total' }] })).toContain('registers.0.key');
    expect(paths({ ...meter, registers: [{ ...r, rolloverMax: 99999.9999 }] })).toEqual([
      'registers.0.rolloverMax',
    ]);
    expect(paths({ ...meter, registers: [{ ...r, kind: 'instant' }] })).toEqual(
      expect.arrayContaining(['registers.0.rolloverMax', 'registers.0.billable']),
    );
    expect(paths({ ...meter, registers: [{ ...r, kind: 'state' }] })).toContain('registers.0.states');
    expect(paths({ ...meter, displayUnits: [{ ...meter.displayUnits[0], register: 'nope' }] })).toEqual([
      'displayUnits.0',
    ]);
    expect(
      paths({ ...meter, defaultAnomalyRules: [{ ...meter.defaultAnomalyRules[0], register: 'nope' }] }),
    ).toEqual(['defaultAnomalyRules.0']);
    expect(
      paths({
        ...meter,
        defaultAnomalyRules: [
          { id: 'x', title, severity: 'info', type: 'status', field: 'nope', equals: true },
        ],
      }),
    ).toEqual(['defaultAnomalyRules.0']);
    expect(paths({ ...meter, validate: undefined })).toEqual(['validate']);
  });

  it('checks the transport mode contract', () => {
    const base = {
      kind: 'transport',
      id: 'transport-x',
      version: '0.1.0',
      apiVersion: 1,
      title,
      protocols: ['x'],
    } as const;
    const poll = defineTransport({
      ...base,
      mode: 'poll',
      read: async function* () {},
      control: async (c) => ({ commandId: c.id, ok: true }),
    });
    expect(validatePlugin(poll)).toEqual([]);
    expect(paths({ ...poll, control: undefined })).toEqual(['control']);
    expect(paths({ ...base, mode: 'push' })).toEqual(['routes']);
    expect(paths({ ...base, mode: 'push', start: () => {} })).toEqual([]);
  });
});
