import { AppError, type MeterTypePlugin, type RegisterDef } from '@quadmeter/sdk';
import { usageSettings } from '../archives/consumption.ts';
import type { MeterKinds } from '../archives/meter-kinds.ts';
import type { ResolvedMeter } from './device-registry.ts';
import type { MeterCalc } from './rollups.ts';

export interface TypeInfo {
  plugin: MeterTypePlugin;
  main: RegisterDef;
  registers: Map<string, RegisterDef>;
}

/**
 * What one batch needs of each meter type and meter, looked up once: the plugin, its registers
 * and main register, and the settings its `validate` and `usage` get (the tenant's, with the
 * meter's own register digits).
 */
export function meterCalcs(kinds: MeterKinds, tenantSettings: ReadonlyMap<string, { settings: unknown }>) {
  const types = new Map<string, TypeInfo | null>();
  const calcs = new Map<string, MeterCalc>();
  const settings = new Map<string, unknown>();
  const typeOf = (kind: string): TypeInfo | null => {
    if (!types.has(kind)) {
      try {
        const plugin = kinds.plugin(kind);
        const registers = new Map(plugin.registers.map((r) => [r.key, r]));
        types.set(kind, { plugin, main: kinds.mainRegister(kind), registers });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        types.set(kind, null);
      }
    }
    return types.get(kind) ?? null;
  };
  const calcOf = (m: ResolvedMeter, t: TypeInfo): MeterCalc => {
    let c = calcs.get(m.meterId);
    if (!c) {
      const sk = `${m.kind}|${m.digits}`;
      if (!settings.has(sk))
        settings.set(sk, usageSettings(t.plugin, m.digits, tenantSettings.get(m.kind)?.settings));
      c = {
        meterId: m.meterId,
        plugin: t.plugin,
        reg: t.main,
        digits: m.digits,
        settings: settings.get(sk),
        initialReading: m.initialReading,
      };
      calcs.set(m.meterId, c);
    }
    return c;
  };
  return { typeOf, calcOf, calcs };
}
