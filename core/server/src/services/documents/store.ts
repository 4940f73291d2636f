import { AppError } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { notFound } from '../archives/scope.ts';
import type { Actor } from '../identity/actor.ts';
import { isoOf, scopeAnd } from '../payments/scope-sql.ts';
import type { DocumentKind, DocumentVariant } from './kinds.ts';
import { lockSeries, nextNumber } from './numbering.ts';
import { renderDocument } from './render.ts';
import { currentTemplate } from './templates.ts';
import type { DocumentView } from './views.ts';

export interface DocumentDto extends Record<string, unknown> {
  id: string;
  number: string;
  kind: DocumentKind;
  variant: DocumentVariant;
  accountId: string;
  accountNumber: string;
  sourceType: 'payment' | 'bill' | 'run' | 'account';
  sourceId: string;
  runId: string | null;
  templateVersion: number | null;
  status: 'issued' | 'voided';
  issuedByName: string;
  issuedAt: string;
  voidReason: string | null;
  voidedByName: string | null;
  voidedAt: string | null;
}

const FROM = sql`from documents d
  join accounts on accounts.id = d.account_id
  join customers on customers.id = accounts.customer_id
  join areas on areas.id = customers.area_id
  left join document_template_versions v on v.id = d.template_version_id`;

const COLUMNS = sql`d.id, d.number, d.kind, d.variant, d.account_id as "accountId", accounts.number as "accountNumber",
  d.source_type as "sourceType", d.source_id as "sourceId", d.run_id as "runId", v.version as "templateVersion",
  d.status, d.issued_by_name as "issuedByName", ${isoOf('d.issued_at')} as "issuedAt",
  d.void_reason as "voidReason", d.voided_by_name as "voidedByName",
  case when d.voided_at is null then null else ${isoOf('d.voided_at')} end as "voidedAt"`;

async function one(tx: Tx, actor: Actor, cond: SQL, lock = false): Promise<DocumentDto | undefined> {
  const [row] = await tx.execute<DocumentDto>(sql`select ${COLUMNS} ${FROM} where ${cond} ${scopeAnd(actor)}
    ${lock ? sql`for update of d` : sql``}`);
  return row;
}

export async function getDocument(tx: Tx, actor: Actor, id: string, lock = false): Promise<DocumentDto> {
  const d = await one(tx, actor, sql`d.id = ${id}`, lock);
  if (!d) throw notFound('document', id);
  return d;
}

/** The stored page of a document (re-print shows exactly what was issued). */
export async function documentHtml(
  tx: Tx,
  actor: Actor,
  id: string,
): Promise<{ doc: DocumentDto; html: string }> {
  const doc = await getDocument(tx, actor, id);
  const [row] = await tx.execute<{ html: string }>(sql`select html from documents where id = ${id}`);
  return { doc, html: row?.html ?? '' };
}

export async function listDocuments(
  tx: Tx,
  actor: Actor,
  q: { accountId?: string; runId?: string; kind?: DocumentKind; limit: number },
): Promise<DocumentDto[]> {
  const cond = [
    q.accountId && sql`and d.account_id = ${q.accountId}`,
    q.runId && sql`and d.run_id = ${q.runId}`,
    q.kind && sql`and d.kind = ${q.kind}`,
  ].filter(Boolean) as SQL[];
  return [
    ...(await tx.execute<DocumentDto>(sql`select ${COLUMNS} ${FROM} where true ${scopeAnd(actor)} ${sql.join(cond, sql` `)}
      order by d.issued_at desc, d.id desc limit ${q.limit}`)),
  ];
}

export interface IssueInput {
  kind: DocumentKind;
  variant: DocumentVariant;
  sourceType: DocumentDto['sourceType'];
  sourceId: string;
  runId?: string | null;
  /** builds the view once the number is known */
  view: (number: string, issuedAt: string) => Promise<{ accountId: string; view: DocumentView }>;
}

/**
 * Issues one document in the caller's transaction: the live document of the same kind and source
 * if there is one (replayed), else the next number of the series (locked until commit), the view,
 * the template in force rendered, and the row with data, template version and HTML.
 */
export async function issueDocument(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  timeZone: string,
  input: IssueInput,
): Promise<{ doc: DocumentDto; replayed: boolean }> {
  // under the series lock, so two requests for the same source cannot both miss the live one
  await lockSeries(tx, tenantId, input.kind);
  const live = await one(
    tx,
    actor,
    sql`d.kind = ${input.kind} and d.source_type = ${input.sourceType} and d.source_id = ${input.sourceId} and d.status = 'issued'`,
  );
  if (live) return { doc: live, replayed: true };
  const now = new Date();
  const number = await nextNumber(tx, tenantId, input.kind, now, timeZone);
  const { accountId, view } = await input.view(number, now.toISOString());
  const t = await currentTemplate(tx, input.kind, input.variant);
  const html = renderDocument(t.source, view, timeZone);
  const [row] = await tx.execute<{ id: string }>(sql`
    insert into documents (tenant_id, number, kind, variant, account_id, source_type, source_id, run_id, data,
      template_version_id, html, issued_by_name, issued_at)
    values (${tenantId}, ${number}, ${input.kind}, ${input.variant}, ${accountId}, ${input.sourceType},
      ${input.sourceId}, ${input.runId ?? null}, ${JSON.stringify(view)}::jsonb, ${t.versionId}, ${html},
      ${actor.displayName || actor.name}, ${now.toISOString()}::timestamptz)
    returning id`);
  if (!row) throw new Error('document insert returned nothing');
  return { doc: await getDocument(tx, actor, row.id), replayed: false };
}

/** Voids a live document with a reason; DOCUMENT_ALREADY_VOID when it was voided before. */
export async function voidDocument(tx: Tx, actor: Actor, id: string, reason: string): Promise<DocumentDto> {
  const d = await getDocument(tx, actor, id, true);
  if (d.status === 'voided') throw new AppError('DOCUMENT_ALREADY_VOID', undefined, { id });
  await tx.execute(sql`update documents set status = 'voided', void_reason = ${reason},
    voided_by_name = ${actor.displayName || actor.name}, voided_at = now() where id = ${id}`);
  return await getDocument(tx, actor, id);
}
