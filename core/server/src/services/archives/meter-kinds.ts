import { AppError, type MeterTypePlugin, type RegisterDef } from '@quadmeter/sdk';
import type { Registry } from '../../registry/index.ts';

/** The meter-type plugins installed and usable: their ids are the meter kinds. */
export interface MeterKinds {
  ids: ReadonlySet<string>;
  plugin(kind: string): MeterTypePlugin;
  /** the register a lifecycle reading refers to: the first billable cumulative one */
  mainRegister(kind: string): RegisterDef;
}

export function meterKinds(registry: Registry): MeterKinds {
  const ids = new Set(
    registry
      .list()
      .filter((p) => p.kind === 'meter-type' && p.status !== 'failed' && p.status !== 'disabled')
      .map((p) => p.id),
  );
  const plugin = (kind: string): MeterTypePlugin => {
    const def = ids.has(kind) ? registry.get(kind) : undefined;
    if (def?.kind !== 'meter-type')
      throw new AppError('METER_KIND_UNKNOWN', `No meter-type plugin '${kind}' is installed`, [
        { path: 'kind', message: `must be one of ${[...ids].join(', ')}` },
      ]);
    return def as MeterTypePlugin;
  };
  return {
    ids,
    plugin,
    mainRegister(kind) {
      const regs = plugin(kind).registers.filter((r) => r.kind === 'cumulative');
      const main = regs.find((r) => r.billable) ?? regs[0];
      if (!main) throw new AppError('METER_KIND_UNKNOWN', `Meter type '${kind}' has no cumulative register`);
      return main;
    },
  };
}
