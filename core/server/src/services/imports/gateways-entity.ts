import type { EntityDef } from './entity.ts';
import { collectorColumns, concentratorColumns } from './gateway-columns.ts';
import { applyCollectors, applyConcentrators } from './gateways-apply.ts';
import {
  type CollectorRecord,
  type ConcentratorRecord,
  checkCollector,
  checkConcentrator,
} from './gateways-check.ts';
import { type LoadedGateways, loadGateways } from './gateways-load.ts';

/** 集中器 sheet: upsert by number; A1/A2 unique within the file and the tenant. */
export const concentratorsEntity: EntityDef<ConcentratorRecord, LoadedGateways> = {
  name: 'concentrators',
  customFieldEntity: 'concentrator',
  permission: 'meters.write',
  keyColumn: 'number',
  columns: concentratorColumns,
  load: (tx, rows) => loadGateways(tx, rows, 'concentrators'),
  check: checkConcentrator,
  apply: applyConcentrators,
};

/** 采集器 sheet: upsert by number; the concentrator by number or A1-A2, imported beforehand. */
export const collectorsEntity: EntityDef<CollectorRecord, LoadedGateways> = {
  name: 'collectors',
  customFieldEntity: 'collector',
  permission: 'meters.write',
  keyColumn: 'number',
  columns: collectorColumns,
  load: (tx, rows) => loadGateways(tx, rows, 'collectors'),
  check: (row, loaded, ctx) => checkCollector(row, loaded, ctx),
  apply: applyCollectors,
};
