import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';

export type PlanStatus = 'active' | 'retired';

export interface Plan {
  id: string;
  code: string;
  kind: string;
  name: string;
  description: string;
  status: PlanStatus;
  createdAt: string;
  updatedAt: string;
}

type PlanRow = {
  id: string;
  code: string;
  kind: string;
  name: string;
  description: string;
  status: PlanStatus;
  created_at: Date | string;
  updated_at: Date | string;
};

const iso = (d: Date | string) => new Date(d).toISOString();

function toPlan(r: PlanRow): Plan {
  return {
    id: r.id,
    code: r.code,
    kind: r.kind,
    name: r.name,
    description: r.description,
    status: r.status,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

const columns = sql`id, code, kind, name, description, status, created_at, updated_at`;

export interface PlanFilter {
  kind?: string;
  status?: PlanStatus;
}

/** The tenant's plans (a small table: a handful per meter kind), ordered by kind and code. */
export async function listPlans(tx: Tx, f: PlanFilter = {}): Promise<Plan[]> {
  const rows = await tx.execute<PlanRow>(sql`select ${columns} from tariff_plans
    where (${f.kind ?? null}::text is null or kind = ${f.kind ?? null})
      and (${f.status ?? null}::text is null or status = ${f.status ?? null})
    order by kind, code`);
  return rows.map(toPlan);
}

/** One plan, or RESOURCE_NOT_FOUND (another tenant's plan is invisible under RLS). */
export async function getPlan(tx: Tx, id: string, lock = false): Promise<Plan> {
  const rows = await tx.execute<PlanRow>(
    sql`select ${columns} from tariff_plans where id = ${id} ${lock ? sql`for update` : sql``}`,
  );
  if (rows.length === 0) throw new AppError('RESOURCE_NOT_FOUND', 'No such tariff plan');
  return toPlan(rows[0]);
}

export interface NewPlan {
  code: string;
  kind: string;
  name: string;
  description?: string;
}

/** A new active plan; a code the tenant already uses is RESOURCE_CONFLICT (the unique key). */
export async function createPlan(tx: Tx, p: NewPlan): Promise<Plan> {
  const [r] =
    await tx.execute<PlanRow>(sql`insert into tariff_plans (tenant_id, code, kind, name, description)
    values (app_tenant_id(), ${p.code}, ${p.kind}, ${p.name}, ${p.description ?? ''})
    returning ${columns}`);
  return toPlan(r);
}

export interface PlanChange {
  name?: string;
  description?: string;
  status?: PlanStatus;
}

/** Name, description and status change; code and kind are fixed (accounts name the code). */
export async function updatePlan(tx: Tx, id: string, ch: PlanChange): Promise<{ before: Plan; after: Plan }> {
  const before = await getPlan(tx, id, true);
  const [r] = await tx.execute<PlanRow>(sql`update tariff_plans set
      name = coalesce(${ch.name ?? null}, name),
      description = coalesce(${ch.description ?? null}, description),
      status = coalesce(${ch.status ?? null}, status),
      updated_at = now()
    where id = ${id} returning ${columns}`);
  return { before, after: toPlan(r) };
}
