import { readFileSync } from 'node:fs';
import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { isoOf } from '../payments/scope-sql.ts';
import type { DocumentKind, DocumentVariant } from './kinds.ts';

const ROOT = new URL('../../../../../templates/documents/', import.meta.url);
const cache = new Map<string, string>();

/** The shipped default (`templates/documents/<kind>/<variant>.hbs`). */
export function defaultSource(kind: DocumentKind, variant: DocumentVariant): string {
  const key = `${kind}/${variant}`;
  let s = cache.get(key);
  if (s === undefined) {
    s = readFileSync(new URL(`${key}.hbs`, ROOT), 'utf8');
    cache.set(key, s);
  }
  return s;
}

export interface TemplateVersion extends Record<string, unknown> {
  id: string;
  version: number;
  note: string;
  createdByName: string;
  createdAt: string;
  publishedAt: string | null;
  current: boolean;
}

const VERSION_COLUMNS = sql`v.id, v.version, v.note, v.created_by_name as "createdByName",
  ${isoOf('v.created_at')} as "createdAt",
  case when v.published_at is null then null else ${isoOf('v.published_at')} end as "publishedAt",
  (c.version_id is not null) as current`;

export async function listVersions(
  tx: Tx,
  kind: DocumentKind,
  variant: DocumentVariant,
): Promise<TemplateVersion[]> {
  return [
    ...(await tx.execute<TemplateVersion>(sql`select ${VERSION_COLUMNS}
      from document_template_versions v
      left join document_templates_current c on c.version_id = v.id
      where v.kind = ${kind} and v.variant = ${variant} order by v.version desc limit 200`)),
  ];
}

/** The template in force: the published tenant version, else the shipped default (version null). */
export async function currentTemplate(
  tx: Tx,
  kind: DocumentKind,
  variant: DocumentVariant,
): Promise<{ source: string; versionId: string | null; version: number | null }> {
  const [row] = await tx.execute<{ source: string; id: string; version: number }>(sql`
    select v.source, v.id, v.version from document_templates_current c
    join document_template_versions v on v.id = c.version_id
    where c.kind = ${kind} and c.variant = ${variant}`);
  return row
    ? { source: row.source, versionId: row.id, version: row.version }
    : { source: defaultSource(kind, variant), versionId: null, version: null };
}

export async function versionSource(
  tx: Tx,
  kind: DocumentKind,
  variant: DocumentVariant,
  version: number,
): Promise<{ id: string; source: string }> {
  const [row] = await tx.execute<{ id: string; source: string }>(sql`select id, source
    from document_template_versions where kind = ${kind} and variant = ${variant} and version = ${version}`);
  if (!row) throw new AppError('DOCUMENT_TEMPLATE_UNKNOWN', undefined, { kind, variant, version });
  return row;
}

/** Stores a new version (numbered after the last; concurrent saves serialise on the unique key). */
export async function addVersion(
  tx: Tx,
  tenantId: string,
  kind: DocumentKind,
  variant: DocumentVariant,
  source: string,
  note: string,
  by: string,
): Promise<{ id: string; version: number }> {
  // one writer at a time per template, so the next number is free
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtext(${`doc-template:${tenantId}:${kind}/${variant}`}))`,
  );
  const [row] = await tx.execute<{ id: string; version: number }>(sql`
    insert into document_template_versions (tenant_id, kind, variant, version, source, note, created_by_name)
    values (${tenantId}, ${kind}, ${variant},
      (select coalesce(max(version), 0) + 1 from document_template_versions where kind = ${kind} and variant = ${variant}),
      ${source}, ${note}, ${by})
    returning id, version`);
  if (!row) throw new Error('version insert returned nothing');
  return row;
}

/** Makes a version current (publishing an older one is the rollback). */
export async function publishVersion(
  tx: Tx,
  tenantId: string,
  kind: DocumentKind,
  variant: DocumentVariant,
  id: string,
) {
  await tx.execute(sql`update document_template_versions set published_at = now() where id = ${id}`);
  await tx.execute(sql`insert into document_templates_current (tenant_id, kind, variant, version_id)
    values (${tenantId}, ${kind}, ${variant}, ${id})
    on conflict (tenant_id, kind, variant) do update set version_id = excluded.version_id, published_at = now()`);
}
