import {
  AppError,
  cumulativeRollovers,
  cumulativeUsage,
  type MeterReading,
  type MeterTypePlugin,
  type RegisterDef,
  type Usage,
} from '@quadmeter/sdk';
import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { meterEvents } from '../../db/schema/index.ts';
import type { Actor } from '../identity/actor.ts';
import type { MeterKinds } from './meter-kinds.ts';
import { findMeter } from './meters.ts';
import { checkReading } from './readings.ts';

export interface ReadingAt {
  meterId: string;
  /** the main register's value, a decimal string */
  reading: string;
}

/** A decimal string as integer units of `decimals` places (exact; extra places must be zeros). */
export function units(value: string, decimals: number): bigint {
  const [int, frac = ''] = value.split('.');
  const f = frac.replace(/0+$/, '');
  if (f.length > decimals)
    throw new AppError('REQ_VALIDATION', `${value} has more than ${decimals} decimals`, [
      { path: 'reading', message: `at most ${decimals} decimals` },
    ]);
  return BigInt(int + f.padEnd(decimals, '0'));
}

export function format(u: bigint, decimals: number): string {
  if (decimals === 0) return u.toString();
  const neg = u < 0n;
  const s = (neg ? -u : u).toString().padStart(decimals + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}

/** The settings `usage` gets for a meter: the tenant's, with the meter's own register digits. */
export function usageSettings(plugin: MeterTypePlugin, digits: number, tenant: unknown = {}): unknown {
  const base = tenant && typeof tenant === 'object' ? tenant : {};
  const parsed = plugin.tenantSettings?.safeParse({ ...base, meterDigits: digits });
  return parsed?.success ? parsed.data : undefined;
}

/**
 * Usage of the main register `reg` from `a` to `b` (integer units of its decimals) through the
 * meter-type plugin's `usage`, so its rollover rule applies; `settings` from usageSettings(). The
 * plugin works in numbers only within 2^53 units; the answer comes back as exact units.
 */
export function mainUsage(
  plugin: MeterTypePlugin,
  reg: RegisterDef,
  digits: number,
  settings: unknown,
  a: bigint,
  b: bigint,
): { units: bigint; rolledOver: boolean } {
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  if (a > limit || b > limit) throw new AppError('REQ_VALIDATION', 'A reading is too large to compute with');
  const r = (v: bigint): MeterReading => ({
    ts: new Date(0).toISOString(),
    registers: { [reg.key]: Number(v) / 10 ** reg.decimals },
  });
  const u: Usage =
    settings !== undefined
      ? plugin.usage(r(a), r(b), { settings })
      : cumulativeUsage(plugin.registers, r(a), r(b), {
          rolloverMax: cumulativeRollovers(plugin.registers, digits),
        });
  const value = u.registers[reg.key];
  if (value === undefined)
    throw new AppError('INTERNAL', 'The meter type gave no usage for its main register');
  return {
    units: BigInt(Math.round(value * 10 ** reg.decimals)),
    rolledOver: u.rolledOver.includes(reg.key),
  };
}

/** One leg on one meter, with the meter's own register digits as the rollover point. */
function leg(kinds: MeterKinds, kind: string, digits: number, from: string, to: string) {
  const plugin = kinds.plugin(kind);
  const reg = kinds.mainRegister(kind);
  const u = mainUsage(
    plugin,
    reg,
    digits,
    usageSettings(plugin, digits),
    units(from, reg.decimals),
    units(to, reg.decimals),
  );
  return { ...u, reg };
}

/**
 * Consumption of the main register from one reading to a later one, across the meter's
 * replacements (old run up to its final reading + new run from its initial reading) and across
 * register rollovers. Exact: summed in integer units, answered as a decimal string.
 */
export async function consumptionBetween(
  tx: Tx,
  actor: Actor,
  kinds: MeterKinds,
  from: ReadingAt,
  to: ReadingAt,
) {
  let { m } = await findMeter(tx, actor, from.meterId);
  await findMeter(tx, actor, to.meterId);
  let reading = checkReading(from.reading, m.digits, 'from.reading');
  let total = 0n;
  const legs: { meterId: string; from: string; to: string; usage: string; rolledOver: boolean }[] = [];
  for (let hop = 0; m.id !== to.meterId; hop++) {
    const [rep] = await tx
      .select()
      .from(meterEvents)
      .where(and(eq(meterEvents.meterId, m.id), eq(meterEvents.kind, 'replace')))
      .orderBy(desc(meterEvents.id))
      .limit(1);
    if (!rep || hop >= 100)
      throw new AppError('REQ_VALIDATION', 'The later meter does not follow the earlier one by replacement', [
        { path: 'to.meterId', message: 'not a successor of from.meterId' },
      ]);
    const r = rep.readings as { final: Record<string, string>; initial: Record<string, string> };
    const key = kinds.mainRegister(m.kind).key;
    const l = leg(kinds, m.kind, m.digits, reading, r.final[key]);
    total += l.units;
    legs.push({
      meterId: m.id,
      from: reading,
      to: r.final[key],
      usage: format(l.units, l.reg.decimals),
      rolledOver: l.rolledOver,
    });
    m = (await findMeter(tx, actor, rep.relatedMeterId as string)).m;
    reading = r.initial[key];
  }
  const end = checkReading(to.reading, m.digits, 'to.reading');
  const l = leg(kinds, m.kind, m.digits, reading, end);
  total += l.units;
  legs.push({
    meterId: m.id,
    from: reading,
    to: end,
    usage: format(l.units, l.reg.decimals),
    rolledOver: l.rolledOver,
  });
  return { register: l.reg.key, unit: l.reg.unit, total: format(total, l.reg.decimals), legs };
}
