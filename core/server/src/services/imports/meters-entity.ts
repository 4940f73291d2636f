import { AppError } from '@quadmeter/sdk';
import type { EntityDef } from './entity.ts';
import { meterColumns } from './meter-columns.ts';
import { wantedRoutes } from './meter-route-cells.ts';
import { applyMeters } from './meters-apply.ts';
import { checkMeter, type MeterRecord } from './meters-check.ts';
import { type LoadedMeters, loadMeterRefs } from './meters-load.ts';

export const metersEntity: EntityDef<MeterRecord, LoadedMeters> = {
  name: 'meters',
  customFieldEntity: 'meter',
  permission: 'meters.write',
  keyColumn: 'assetNo',
  columns: meterColumns,
  load: (tx, rows, ctx) => {
    if (!ctx.meterKinds) throw new AppError('IMPORT_APPLY_FAILED', 'The meter types are not available');
    return loadMeterRefs(tx, rows, ctx.meterKinds(), (partial) => wantedRoutes(rows, partial, ctx));
  },
  check: checkMeter,
  apply: applyMeters,
};
