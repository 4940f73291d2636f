import type { GatewayReadingPlan } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Actor } from '../identity/actor.ts';
import {
  type ArchiveDeps,
  activeConcentrator,
  archiveOf,
  type Concentrator,
  contextOf,
  gatewayRef,
  linkError,
  transportFor,
} from './concentrator-archive.ts';
import { derivePlan, type PlanSchedule } from './reading-plan-derive.ts';

export interface ReadingPlanView {
  /** the enabled schedules that read meters of this concentrator */
  schedules: PlanSchedule[];
  /** what the concentrator should run, derived from them */
  derived: GatewayReadingPlan[];
  /** what it runs, read back */
  device: GatewayReadingPlan[];
}

/**
 * Enabled schedules whose target holds an installed meter of the concentrator: an area containing
 * the meter's area, or the meter itself (group targets are not followed).
 */
async function schedulesOf(tx: Tx, concentratorId: string): Promise<PlanSchedule[]> {
  return (await tx.execute(sql`
    select s.id::text as id, s.name, s.cron from reading_schedules s
    where s.enabled and exists (
      select 1 from meter_routes r join meters m on m.id = r.meter_id join areas a on a.id = m.area_id
      where r.via = 'concentrator' and r.concentrator_id = ${concentratorId} and m.status = 'installed'
        and ((s.target = 'area' and s.target_id = any(a.path)) or (s.target = 'meter' and s.target_id = m.id)))
    order by s.name`)) as unknown as PlanSchedule[];
}

async function portsOf(tx: Tx, c: Concentrator['c']): Promise<number[]> {
  const ports = (await archiveOf(tx, c.id)).map((m) => m.port).filter((p): p is number => p !== null);
  return [...new Set(ports)].sort((a, b) => a - b);
}

async function readBack(tx: Tx, d: ArchiveDeps, c: Concentrator['c'], ports: number[]) {
  const t = await transportFor(tx, d.registry, c.protocol, 'readReadingPlan');
  const ref = gatewayRef(c);
  try {
    return (await t.readReadingPlan?.(ref, ports, contextOf(d.registry, t))) ?? [];
  } catch (e) {
    throw linkError(e, ref.address);
  }
}

/** The plan derived from the schedules beside the one the concentrator runs. */
export async function readingPlan(
  tx: Tx,
  d: ArchiveDeps,
  actor: Actor,
  id: string,
): Promise<ReadingPlanView> {
  const { c } = await activeConcentrator(tx, actor, id);
  const schedules = await schedulesOf(tx, c.id);
  const ports = await portsOf(tx, c);
  return { schedules, derived: derivePlan(schedules, ports), device: await readBack(tx, d, c, ports) };
}

/** Sets the derived plan (nothing when no schedule covers the concentrator) and reads it back. */
export async function pushReadingPlan(
  tx: Tx,
  d: ArchiveDeps,
  actor: Actor,
  id: string,
): Promise<ReadingPlanView & { areaPath: string[] }> {
  const { c, path } = await activeConcentrator(tx, actor, id);
  const schedules = await schedulesOf(tx, c.id);
  const ports = await portsOf(tx, c);
  const derived = derivePlan(schedules, ports);
  const t = await transportFor(tx, d.registry, c.protocol, 'setReadingPlan');
  const ref = gatewayRef(c);
  if (derived.length > 0) {
    try {
      await t.setReadingPlan?.(ref, derived, contextOf(d.registry, t));
    } catch (e) {
      throw linkError(e, ref.address);
    }
  }
  return { schedules, derived, device: await readBack(tx, d, c, ports), areaPath: path };
}
