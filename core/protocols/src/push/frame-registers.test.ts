import { describe, expect, it } from 'vitest';
import { buildAbnormalReply, buildReadDataReply } from '../cjt188/builders.ts';
import { buildErrorReply, buildReadReply } from '../dlt645/builders.ts';
import { decodeDeviceBytes } from './device-bytes.ts';
import { decimalOf, frameRegisters } from './frame-registers.ts';

const at = '2026-11-25T08:00:00';
const water = {
  current_cumulative: 123.45,
  current_cumulative_unit: 'm3',
  settlement_cumulative: 120,
  settlement_cumulative_unit: 'm3',
  realtime: at,
  status: { valve: 'closed', battery: 'low' },
};

const registersOf = async (bytes: Uint8Array) => frameRegisters(await decodeDeviceBytes(bytes));

describe('frameRegisters', () => {
  it('reads a water meter 901F report: volume, valve, status word, meter clock', async () => {
    expect(await registersOf(buildReadDataReply(0x10, '00000000000042', '901F', 1, water))).toEqual({
      protocol: 'cjt188',
      address: '00000000000042',
      registers: { totalVolume: '123.45', valve: 'closed' },
      status: { word: 0x05, protocol: 'cjt188' },
      meterTime: at,
    });
  });

  it('reads a gas meter as standard volume and an FF-filled value as null', async () => {
    const r = await registersOf(
      buildReadDataReply(0x30, '00000000000043', '901F', 1, { ...water, current_cumulative: null }),
    );
    expect(r?.registers).toEqual({ standardVolume: null, valve: 'closed' });
  });

  it('reads a heat meter 901F report', async () => {
    const r = await registersOf(
      buildReadDataReply(0x20, '00000000000044', '901F', 1, {
        settlement_heat: 10,
        settlement_heat_unit: 'kWh',
        current_heat: 12.5,
        current_heat_unit: 'kWh',
        heat_power: 1.2,
        heat_power_unit: 'kW',
        flow_rate: 0.0512,
        flow_rate_unit: 'm3/h',
        current_cumulative: 33.3,
        current_cumulative_unit: 'm3',
        supply_temp_C: 60.5,
        return_temp_C: 45.25,
        working_hours: 1234,
        realtime: at,
        status: { valve: 'open' },
      }),
    );
    expect(r?.registers).toEqual({
      heatEnergy: '12.5',
      volume: '33.3',
      flowRate: '0.0512',
      supplyTemperature: '60.5',
      returnTemperature: '45.25',
      temperatureDifference: '15.25',
      power: '1.2',
      operatingHours: '1234',
    });
  });

  it('reads DL/T 645-2007 energy: the block and the total', async () => {
    expect(
      (await registersOf(buildReadReply('000000000007', '0001FF00', [10.5, 1, 2, 3, 4.5])))?.registers,
    ).toEqual({
      activeImportTotal: '10.5',
      activeImportT1: '1',
      activeImportT2: '2',
      activeImportT3: '3',
      activeImportT4: '4.5',
    });
    expect(await registersOf(buildReadReply('000000000007', '00010000', 999999.99))).toMatchObject({
      protocol: 'dlt645-2007',
      registers: { activeImportTotal: '999999.99' },
    });
  });

  it('gives nothing for error replies, other identifiers and bytes that are no frame', async () => {
    expect(
      await registersOf(buildAbnormalReply(0x10, '00000000000042', 0x01, '901F', 1, {})),
    ).toBeUndefined();
    const prices = { price1: 3.5, usage1: 180, price2: 4.5, usage2: 300, price3: 6 };
    expect(await registersOf(buildReadDataReply(0x10, '00000000000042', '8102', 1, prices))).toBeUndefined();
    expect(await registersOf(buildErrorReply('000000000007', 'read', 2))).toBeUndefined();
    expect(await registersOf(buildReadReply('000000000007', '02010100', 220.1))).toBeUndefined();
    expect(await registersOf(Uint8Array.of(1, 2, 3))).toBeUndefined();
  });

  it('writes decimals as readings carry them', () => {
    expect([
      decimalOf(0),
      decimalOf(0.1 + 0.2),
      decimalOf(12.3456789),
      decimalOf(-1),
      decimalOf(1e21),
    ]).toEqual(['0', '0.3', '12.345679', null, null]);
  });
});
