import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import cooling from '../../../../examples/meter-cooling/meter-cooling.json' with { type: 'json' };
import { isAppError } from '../errors.ts';
import { describeMeterTypeContract } from '../testing/index.ts';
import { cjt188Registers, meterTypeFromData, meterTypeJsonSchema } from './meter-type-data.ts';

const plugin = meterTypeFromData(cooling);

// the same suite every code-defined meter type runs
describeMeterTypeContract(plugin);

function refusal(data: unknown): { code: string; paths: string[] } {
  try {
    meterTypeFromData(data);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { code: e.code, paths: (e.details as { path: string }[]).map((d) => d.path) };
  }
  throw new Error('expected a refusal');
}

describe('data-defined meter type', () => {
  it('carries the registers, status table and protocol mapping of its file', () => {
    expect(plugin.id).toBe('meter-cooling');
    expect(plugin.registers.map((r) => r.key)).toContain('coolingEnergy');
    expect(plugin.statusProtocols).toEqual(['cjt188']);
    expect(plugin.decodeStatus(0x0005)).toEqual({ valve: 'closed', batteryLow: true, vendorBits: false });
    expect(plugin.protocols.cjt188?.meterType).toBe(0x21);
    expect(plugin.protocols.cjt188?.fields.coolingEnergy).toBe('current_heat');
  });

  it('checks readings with its limits and bills usage across the counter rollover', () => {
    const at = (h: number) => new Date(Date.UTC(2025, 5, 1) + h * 3_600_000).toISOString();
    const prev = { ts: at(0), registers: { coolingEnergy: 99999990, volume: 10 } };
    const next = { ts: at(24), registers: { coolingEnergy: 15, volume: 12 } };
    expect(plugin.usage(prev, next)).toEqual({
      registers: { coolingEnergy: 25, volume: 2, operatingHours: undefined },
      rolledOver: ['coolingEnergy'],
    });
    const tooMuch = plugin.validate(
      { ts: at(0), registers: { coolingEnergy: 100 } },
      { ts: at(24), registers: { coolingEnergy: 50_000 } },
    );
    expect(tooMuch.map((i) => i.code)).toContain('RATE_IMPLAUSIBLE');
    const cold = plugin.validate(null, { ts: at(0), registers: { supplyTemperature: 90 } });
    expect(cold).toEqual([
      expect.objectContaining({ code: 'VALUE_OUT_OF_RANGE', register: 'supplyTemperature' }),
    ]);
  });

  it('refuses bad data with METER_TYPE_DATA_INVALID naming each field', () => {
    const bad = structuredClone(cooling) as Record<string, unknown> & {
      protocols: { cjt188: { fields: Record<string, string>; meterType: unknown } };
      limits: { maxPerDay: Record<string, number> };
    };
    bad.protocols.cjt188.fields.chilledWater = 'current_heat';
    bad.protocols.cjt188.meterType = '0x1FF';
    bad.limits.maxPerDay.power = 5;
    const r = refusal(bad);
    expect(r.code).toBe('METER_TYPE_DATA_INVALID');
    expect(r.paths).toEqual(expect.arrayContaining(['protocols.cjt188.meterType']));
    const r2 = refusal({ ...cooling, protocols: { cjt188: { meterType: 33, fields: { chilled: 'x' } } } });
    expect(r2.paths).toEqual(['protocols.cjt188.fields.chilled']);
    const r3 = refusal({ ...cooling, limits: { maxPerDay: { power: 5 } } });
    expect(r3.paths).toEqual(['limits.maxPerDay.power']);
    expect(refusal({ ...cooling, registers: [] }).code).toBe('METER_TYPE_DATA_INVALID');
    expect(refusal({ ...cooling, id: 'meter-\0' }).paths).toEqual(['id']);
    expect(refusal({ ...cooling, unknownField: 1 }).code).toBe('METER_TYPE_DATA_INVALID');
    expect(refusal({ ...cooling, statusTables: {} }).paths).toEqual(['statusTables']);
    const noBill = cooling.registers.map((r) => ({ ...r, billable: false }));
    expect(refusal({ ...cooling, registers: noBill }).paths).toEqual(['registers']);
    expect(refusal(null).code).toBe('METER_TYPE_DATA_INVALID');
  });

  it('fills registers from a recorded CJ/T 188 reply of T=0x21 by the mapping, nothing from another T', () => {
    const reply = JSON.parse(
      readFileSync(
        new URL('../../../../examples/meter-cooling/fixtures/reply-901f.json', import.meta.url),
        'utf8',
      ),
    );
    expect(reply.meterTypeName).toBe('cooling');
    const registers = cjt188Registers(plugin, reply);
    expect(registers.coolingEnergy).toBe(1300.25);
    expect(registers.supplyTemperature).toBe(7);
    expect(Object.keys(registers)).toHaveLength(7);
    expect(plugin.validate(null, { ts: '2024-11-20T02:15:30.000Z', registers })).toEqual([]);
    expect(cjt188Registers(plugin, { ...reply, meterType: 0x20 })).toEqual({});
  });

  it('publishes the JSON Schema generated from the zod schema (core/sdk/schema)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../schema/meter-type.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(meterTypeJsonSchema());
  });
});
