import { customersEntity } from './customers-entity.ts';
import type { EntityDef } from './entity.ts';
import { metersEntity } from './meters-entity.ts';

/** Importable entities; collectors and concentrators add their definitions here. */
export const importEntities = {
  customers: customersEntity as EntityDef,
  meters: metersEntity as EntityDef,
} as const;

export type ImportEntity = keyof typeof importEntities;
export const importEntityNames = Object.keys(importEntities) as [ImportEntity, ...ImportEntity[]];
