import { customersEntity } from './customers-entity.ts';
import type { EntityDef } from './entity.ts';
import { collectorsEntity, concentratorsEntity } from './gateways-entity.ts';
import { metersEntity } from './meters-entity.ts';

/** Importable entities, in the order an estate is loaded: gateways before the meters routed through them. */
export const importEntities = {
  customers: customersEntity as EntityDef,
  concentrators: concentratorsEntity as EntityDef,
  collectors: collectorsEntity as EntityDef,
  meters: metersEntity as EntityDef,
} as const;

export type ImportEntity = keyof typeof importEntities;
export const importEntityNames = Object.keys(importEntities) as [ImportEntity, ...ImportEntity[]];
