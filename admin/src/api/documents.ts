import { http } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

// Documents: template designer (versions, publish = make current, rollback = publish an older
// one, preview), issued documents per account, re-print (the stored page), PDF and void.

export type DocumentTemplate = Schema<'DocumentTemplate'>;
export type DocumentTemplateSummary = Schema<'DocumentTemplateSummary'>;
export type DocumentTemplateVersion = Schema<'DocumentTemplateVersion'>;
export type IssuedDocument = Schema<'Document'>;
export type DocumentKind = DocumentTemplate['kind'];
export type DocumentVariant = DocumentTemplate['variant'];
export type DocumentPreviewBody = BodyOf<'/documents/templates/preview', 'post'>;
export type DocumentQuery = QueryOf<'/documents'>;

const tpl = (kind: string, variant: string) =>
  `/documents/templates/${encodeURIComponent(kind)}/${encodeURIComponent(variant)}`;
const one = (id: string) => `/documents/${encodeURIComponent(id)}`;

/** The stored page of a document, opened in a new window to print (no script: the CSP forbids it). */
export const printUrl = (id: string) => `/api/v1${one(id)}/print`;
export const pdfUrl = (id: string) => `/api/v1${one(id)}/pdf`;
export const runNoticesUrl = (runId: string) =>
  `/api/v1/documents/bill-runs/${encodeURIComponent(runId)}/notices/print`;

export const documentsApi = {
  templates: () => http.get<ReplyOf<'/documents/templates'>>('/documents/templates'),
  template: (kind: DocumentKind, variant: DocumentVariant) => http.get<DocumentTemplate>(tpl(kind, variant)),
  version: (kind: DocumentKind, variant: DocumentVariant, version: number) =>
    http.get<Schema<'DocumentTemplateVersionSource'>>(`${tpl(kind, variant)}/versions/${version}`),
  saveVersion: (
    kind: DocumentKind,
    variant: DocumentVariant,
    body: BodyOf<'/documents/templates/{kind}/{variant}/versions', 'post'>,
  ) => http.post<DocumentTemplateVersion>(`${tpl(kind, variant)}/versions`, body),
  publish: (kind: DocumentKind, variant: DocumentVariant, version: number) =>
    http.post<DocumentTemplateVersion>(`${tpl(kind, variant)}/versions/${version}/publish`, {}),
  preview: (body: DocumentPreviewBody) =>
    http.post<ReplyOf<'/documents/templates/preview', 'post'>>('/documents/templates/preview', body),
  list: (q: DocumentQuery) => http.get<ReplyOf<'/documents'>>('/documents', q),
  void: (id: string, reason: string) => http.post<IssuedDocument>(`${one(id)}/void`, { reason }),
  issueReceipt: (paymentId: string, variant: DocumentVariant = 'a4') =>
    http.post<Schema<'DocumentIssued'>>('/documents/receipts', { paymentId, variant }),
};
