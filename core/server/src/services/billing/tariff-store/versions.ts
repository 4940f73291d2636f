import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { parseVersionBody } from './body.ts';
import { getPlan } from './plans.ts';

export interface Version {
  id: string;
  planId: string;
  version: number;
  effectiveFrom: string;
  status: 'draft' | 'published';
  body: unknown;
  note: string;
  createdBy: string | null;
  createdAt: string;
  publishedBy: string | null;
  publishedByName: string | null;
  publishedAt: string | null;
}

type VersionRow = {
  id: string;
  plan_id: string;
  version: number;
  effective_from: string;
  status: 'draft' | 'published';
  body: unknown;
  note: string;
  created_by: string | null;
  created_at: Date | string;
  published_by: string | null;
  published_by_name: string | null;
  published_at: Date | string | null;
};

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function toVersion(r: VersionRow): Version {
  return {
    id: r.id,
    planId: r.plan_id,
    version: r.version,
    effectiveFrom: r.effective_from,
    status: r.status,
    body: r.body,
    note: r.note,
    createdBy: r.created_by,
    createdAt: iso(r.created_at) as string,
    publishedBy: r.published_by,
    publishedByName: r.published_by_name,
    publishedAt: iso(r.published_at),
  };
}

const select = sql`select v.id, v.plan_id, v.version, v.effective_from::text as effective_from, v.status, v.body,
    v.note, v.created_by, v.created_at, v.published_by, u.display_name as published_by_name, v.published_at
  from tariff_versions v left join users u on u.tenant_id = v.tenant_id and u.id = v.published_by`;

/** The plan's versions, newest first. */
export async function listVersions(tx: Tx, planId: string): Promise<Version[]> {
  await getPlan(tx, planId);
  const rows = await tx.execute<VersionRow>(
    sql`${select} where v.plan_id = ${planId} order by v.version desc`,
  );
  return rows.map(toVersion);
}

/** One version of the plan, or RESOURCE_NOT_FOUND. */
export async function getVersion(tx: Tx, planId: string, id: string, lock = false): Promise<Version> {
  const rows = await tx.execute<VersionRow>(
    sql`${select} where v.plan_id = ${planId} and v.id = ${id} ${lock ? sql`for update of v` : sql``}`,
  );
  if (rows.length === 0) throw new AppError('RESOURCE_NOT_FOUND', 'No such tariff version');
  return toVersion(rows[0]);
}

async function getDraft(tx: Tx, planId: string, id: string): Promise<Version> {
  const v = await getVersion(tx, planId, id, true);
  if (v.status !== 'draft')
    throw new AppError('RECORD_IMMUTABLE', 'A published version never changes; copy it');
  return v;
}

export interface DraftInput {
  body: unknown;
  note?: string;
}

/** A new draft (version number = the plan's highest + 1); the body is checked with parseTariff. */
export async function createDraft(
  tx: Tx,
  planId: string,
  input: DraftInput,
  by: string | null,
): Promise<Version> {
  const plan = await getPlan(tx, planId, true); // the lock serialises version numbering
  if (plan.status !== 'active') throw new AppError('TARIFF_PLAN_RETIRED');
  const t = parseVersionBody(plan, input.body);
  const [r] = await tx.execute<{ id: string }>(sql`insert into tariff_versions
      (tenant_id, plan_id, version, effective_from, body, note, created_by)
    select app_tenant_id(), ${planId}, coalesce(max(version), 0) + 1, ${t.versions[0].effectiveFrom}::date,
      ${JSON.stringify(input.body)}::jsonb, ${input.note ?? ''}, ${by}
    from tariff_versions where plan_id = ${planId}
    returning id`);
  return getVersion(tx, planId, r.id);
}

/** A draft's body and/or note change; a published version is RECORD_IMMUTABLE. */
export async function updateDraft(
  tx: Tx,
  planId: string,
  id: string,
  ch: { body?: unknown; note?: string },
): Promise<{ before: Version; after: Version }> {
  const before = await getDraft(tx, planId, id);
  const t = ch.body === undefined ? null : parseVersionBody(await getPlan(tx, planId), ch.body);
  await tx.execute(sql`update tariff_versions set
      body = coalesce(${t ? JSON.stringify(ch.body) : null}::jsonb, body),
      effective_from = coalesce(${t ? t.versions[0].effectiveFrom : null}::date, effective_from),
      note = coalesce(${ch.note ?? null}, note)
    where id = ${id}`);
  return { before, after: await getVersion(tx, planId, id) };
}

export async function deleteDraft(tx: Tx, planId: string, id: string): Promise<Version> {
  const v = await getDraft(tx, planId, id);
  await tx.execute(sql`delete from tariff_versions where id = ${id}`);
  return v;
}

/**
 * Publishes a draft: from then on it is immutable (trigger). Another published version of the plan
 * on the same effective date is TARIFF_VERSION_CLASH (checked under the plan's row lock; the
 * partial unique index backs it up). A retired plan takes no new versions.
 */
export async function publishVersion(
  tx: Tx,
  planId: string,
  id: string,
  by: string | null,
): Promise<Version> {
  const plan = await getPlan(tx, planId, true);
  if (plan.status !== 'active') throw new AppError('TARIFF_PLAN_RETIRED');
  const v = await getDraft(tx, planId, id);
  parseVersionBody(plan, v.body); // stored drafts were checked; a plan never changes code or kind
  const clash = await tx.execute<{ version: number }>(sql`select version from tariff_versions
    where plan_id = ${planId} and status = 'published' and effective_from = ${v.effectiveFrom}::date`);
  if (clash.length > 0)
    throw new AppError('TARIFF_VERSION_CLASH', undefined, {
      effectiveFrom: v.effectiveFrom,
      version: clash[0].version,
    });
  await tx.execute(sql`update tariff_versions set status = 'published', published_by = ${by},
    published_at = now() where id = ${id}`);
  return getVersion(tx, planId, id);
}

/** A new draft with the body and note of an existing version: the way to change a published tariff. */
export async function copyVersion(tx: Tx, planId: string, id: string, by: string | null): Promise<Version> {
  const from = await getVersion(tx, planId, id);
  return createDraft(tx, planId, { body: from.body, note: from.note }, by);
}
