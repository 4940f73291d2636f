import { iso, num, round } from '../series.ts';
import type { VeeReading, VeeRule } from '../types.ts';
import { hit } from './consumption.ts';

const HOUR = 3_600_000;

/** No reading for `hours` hours: the meter (or its concentrator) stopped reporting. */
export const noData: VeeRule<{ hours: number }> = {
  id: 'no-data',
  severity: 'warning',
  defaults: { hours: 26 },
  evaluate(w, p) {
    const last = w.readings.at(-1);
    const silentMs = last ? w.now.getTime() - last.ts.getTime() : Number.POSITIVE_INFINITY;
    if (silentMs <= p.hours * HOUR) return null;
    return hit(
      'no-data',
      'warning',
      last ? `no reading for ${round(silentMs / HOUR, 1)} hours` : 'never read',
      last ? [last] : [],
      { lastReadingAt: last ? iso(last) : null, concentratorId: w.meter.concentratorId },
    );
  },
};

const BATTERY_FLAGS = ['batteryLow', 'readingBatteryLow', 'clockBatteryLow'];

/** The latest reading says the battery is low (a status bit, or a cell voltage under `minVoltage`). */
export const lowBattery: VeeRule<{ minVoltage: number }> = {
  id: 'low-battery',
  severity: 'info',
  defaults: { minVoltage: 3.3 },
  evaluate(w, p) {
    const last = w.readings.at(-1);
    if (!last) return null;
    const flags = BATTERY_FLAGS.filter((f) => last.status[f] === true);
    const v = num(last, 'batteryVoltage');
    if (flags.length === 0 && (v === undefined || v >= p.minVoltage)) return null;
    return hit(
      'low-battery',
      'info',
      flags.length ? `status: ${flags.join(', ')}` : `battery ${v} V`,
      [last],
      {
        flags,
        voltage: v ?? null,
      },
    );
  },
};

/** A magnetic-attack, tamper or open-cover status bit was set in one of the last `lookback` readings. */
export const tamper: VeeRule<{ lookback: number; flags: string[] }> = {
  id: 'tamper',
  severity: 'critical',
  defaults: { lookback: 48, flags: ['magneticAttack', 'tamper', 'coverOpen', 'terminalCoverOpen'] },
  evaluate(w, p) {
    const rs = w.readings.slice(-p.lookback).filter((r) => p.flags.some((f) => r.status[f] === true));
    if (rs.length === 0) return null;
    const seen = p.flags.filter((f) => rs.some((r) => r.status[f] === true));
    return hit('tamper', 'critical', `status: ${seen.join(', ')}`, rs.slice(-24), { flags: seen });
  },
};

function reportedValve(r: VeeReading): string | undefined {
  const s = r.status.valve ?? r.status.relay ?? r.registers.valve ?? r.registers.relay;
  return typeof s === 'string' ? s : undefined;
}

/**
 * Valve fault: the valve reports `abnormal`, or it reports a state other than the last
 * acknowledged command more than `graceMinutes` after the command.
 */
export const valveFault: VeeRule<{ graceMinutes: number }> = {
  id: 'valve-fault',
  severity: 'critical',
  defaults: { graceMinutes: 30 },
  evaluate(w, p) {
    const last = [...w.readings].reverse().find((r) => reportedValve(r) !== undefined);
    if (!last) return null;
    const reported = reportedValve(last);
    if (reported === 'abnormal') return hit('valve-fault', 'critical', 'valve reports abnormal', [last]);
    const c = w.meter.commanded;
    if (!c || last.ts.getTime() < c.at.getTime() + p.graceMinutes * 60_000) return null;
    // relays report closed/open as contacts: a relay 'closed' means supply on ('open' valve)
    const expected = w.meter.medium === 'electricity' ? (c.state === 'open' ? 'closed' : 'open') : c.state;
    if (reported === expected) return null;
    return hit('valve-fault', 'critical', `commanded ${c.state}, reports ${reported}`, [last], {
      commanded: c.state,
      commandedAt: c.at.toISOString(),
      reported,
    });
  },
};

/**
 * Clock drift: the meter's own clock (register `meterTime`, epoch seconds) differs from the time
 * the reading was taken by more than `maxSeconds`.
 */
export const clockDrift: VeeRule<{ maxSeconds: number }> = {
  id: 'clock-drift',
  severity: 'warning',
  defaults: { maxSeconds: 300 },
  evaluate(w, p) {
    const last = [...w.readings].reverse().find((r) => num(r, 'meterTime') !== undefined);
    if (!last) return null;
    const drift = (num(last, 'meterTime') as number) - last.ts.getTime() / 1000;
    if (Math.abs(drift) <= p.maxSeconds) return null;
    return hit('clock-drift', 'warning', `meter clock off by ${Math.round(drift)} s`, [last], {
      driftSeconds: Math.round(drift),
    });
  },
};
