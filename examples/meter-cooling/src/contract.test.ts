import { cjt188Registers } from '@quadmeter/sdk';
import { describeMeterTypeContract } from '@quadmeter/sdk/testing';
import { describe, expect, it } from 'vitest';
import reply from '../fixtures/reply-901f.json' with { type: 'json' };
import plugin from './index.ts';

describeMeterTypeContract(plugin);

describe('meter-cooling fixture frame', () => {
  it('fills every register from a CJ/T 188 901F reply of a cooling meter, and the reading passes', () => {
    const registers = cjt188Registers(plugin, reply);
    expect(registers).toEqual({
      coolingEnergy: 1300.25,
      volume: 456.78,
      power: 12.5,
      flowRate: 1.2345,
      supplyTemperature: 7,
      returnTemperature: 12,
      operatingHours: 8760,
    });
    expect(plugin.validate(null, { ts: '2024-11-20T02:15:30.000Z', registers })).toEqual([]);
  });
});
