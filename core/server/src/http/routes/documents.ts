import { createRoute } from '@hono/zod-openapi';
import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { findRun } from '../../services/billing/runs/store.ts';
import { joinPages } from '../../services/documents/batch.ts';
import { htmlToPdf } from '../../services/documents/pdf.ts';
import {
  type DocumentDto,
  documentHtml,
  getDocument,
  issueDocument,
  listDocuments,
  voidDocument,
} from '../../services/documents/store.ts';
import { billDocumentView, billRow, receiptView } from '../../services/documents/views.ts';
import { scopeAnd } from '../../services/payments/scope-sql.ts';
import { ErrorSchema, IdParam, inTenant, jsonRoute, router, z } from '../route-kit.ts';
import {
  BillDocumentBody,
  Document,
  DocumentIssued,
  DocumentList,
  DocumentQuery,
  NoticeBatch,
  ReceiptBody,
  VoidBody,
} from './document-schemas.ts';
import { registerTemplateRoutes } from './document-templates.ts';

const tag = 'documents';
/** one batch print holds at most this many notices (a bill run of a large estate prints by area) */
const BATCH_MAX = 2000;

function fileRoute(path: string, summary: string, type: 'text/html' | 'application/pdf') {
  return createRoute({
    method: 'get',
    path,
    tags: [tag],
    summary,
    request: { params: IdParam },
    responses: {
      200: { description: type, content: { [type]: { schema: z.string() } } },
      ...Object.fromEntries(
        [400, 401, 403, 404, 503].map((s) => [
          s,
          { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } },
        ]),
      ),
    },
  });
}

/** A voided document prints with a stamp across it, so a re-print cannot pass for a live one. */
function stamped(doc: DocumentDto, html: string): string {
  if (doc.status !== 'voided') return html;
  const stamp =
    '<div style="position:fixed;top:40%;left:0;right:0;text-align:center;font-size:64px;color:rgba(200,0,0,.35);transform:rotate(-20deg)">作废 VOID</div>';
  return html.replace(/<body([^>]*)>/i, `<body$1>${stamp}`);
}

function pdfResponse(bytes: Uint8Array, name: string): Response {
  return new Response(bytes, {
    status: 200,
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="${encodeURIComponent(name)}.pdf"`,
    },
  });
}

/** Issued documents (receipts, notices, invoices): issue, list, print, PDF, void; and the designer. */
export function documentRoutes(p: Platform) {
  const r = router();
  const tz = () => p.config.QUADMETER_TIMEZONE;
  registerTemplateRoutes(r, p);

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/receipts',
      tag,
      summary: 'Issue the receipt of a payment (answers the live one when it exists)',
      body: ReceiptBody,
      response: DocumentIssued,
    }),
    async (c) => {
      const b = c.req.valid('json');
      const out = await inTenant(p, c, 'documents.issue', async (tx, { actor, tenantId, meta }) => {
        const res = await issueDocument(tx, actor, tenantId, tz(), {
          kind: 'receipt',
          variant: b.variant,
          sourceType: 'payment',
          sourceId: b.paymentId,
          view: async (number, at) => {
            const v = await receiptView(tx, actor, b.paymentId, number, at);
            if (v.status === 'reversed')
              throw new AppError('DOCUMENT_SOURCE_INVALID', 'A reversed payment gets no receipt', {
                status: v.status,
              });
            return v;
          },
        });
        if (!res.replayed)
          await recordAudit(tx, tenantId, meta, {
            action: 'documents.issue',
            targetType: 'document',
            targetId: res.doc.id,
            after: { number: res.doc.number, kind: 'receipt', paymentId: b.paymentId },
          });
        return res;
      });
      return c.json({ ...out.doc, replayed: out.replayed }, out.replayed ? 200 : 201) as never;
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/bills',
      tag,
      summary: 'Issue a payment notice or an invoice for an issued bill',
      body: BillDocumentBody,
      response: DocumentIssued,
    }),
    async (c) => {
      const b = c.req.valid('json');
      const out = await inTenant(p, c, 'documents.issue', async (tx, { actor, tenantId, meta }) => {
        const bill = await billRow(tx, actor, b.billId);
        if (bill.status !== 'issued')
          throw new AppError('DOCUMENT_SOURCE_INVALID', 'Only an issued bill gets a notice or invoice', {
            status: bill.status,
          });
        const res = await issueDocument(tx, actor, tenantId, tz(), {
          kind: b.kind,
          variant: 'a4',
          sourceType: 'bill',
          sourceId: bill.id,
          view: (number, at) => billDocumentView(tx, actor, b.kind, bill, number, at),
        });
        if (!res.replayed)
          await recordAudit(tx, tenantId, meta, {
            action: 'documents.issue',
            targetType: 'document',
            targetId: res.doc.id,
            after: { number: res.doc.number, kind: b.kind, billId: bill.id },
          });
        return res;
      });
      return c.json({ ...out.doc, replayed: out.replayed }, out.replayed ? 200 : 201) as never;
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/bill-runs/{id}/notices',
      tag,
      summary: 'Issue the payment notice of every issued bill of a run (in your scope) at once',
      params: IdParam,
      status: 200,
      response: NoticeBatch,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await inTenant(p, c, 'documents.issue', async (tx, { actor, tenantId, meta }) => {
        await findRun(tx, actor, id);
        const bills = await tx.execute<{ id: string }>(sql`select bills.id from bills
          join accounts on accounts.id = bills.account_id join customers on customers.id = accounts.customer_id
          join areas on areas.id = customers.area_id
          where bills.run_id = ${id} and bills.status = 'issued' ${scopeAnd(actor)}
          order by areas.path, accounts.number limit ${BATCH_MAX + 1}`);
        if (bills.length > BATCH_MAX)
          throw new AppError('DOCUMENT_BATCH_TOO_LARGE', undefined, { max: BATCH_MAX });
        let issued = 0;
        let replayed = 0;
        const documentIds: string[] = [];
        for (const { id: billId } of bills) {
          const bill = await billRow(tx, actor, billId);
          const res = await issueDocument(tx, actor, tenantId, tz(), {
            kind: 'payment-notice',
            variant: 'a4',
            sourceType: 'bill',
            sourceId: billId,
            runId: id,
            view: (number, at) => billDocumentView(tx, actor, 'payment-notice', bill, number, at),
          });
          if (res.replayed) replayed++;
          else issued++;
          documentIds.push(res.doc.id);
        }
        if (issued > 0)
          await recordAudit(tx, tenantId, meta, {
            action: 'documents.issue-run-notices',
            targetType: 'bill-run',
            targetId: id,
            after: { issued },
          });
        return { issued, replayed, documentIds };
      });
      return c.json(out, 200);
    },
  );

  async function runPages(c: Parameters<Parameters<typeof r.openapi>[1]>[0], id: string) {
    return await inTenant(p, c as never, 'documents.read', async (tx, { actor }) => {
      await findRun(tx, actor, id);
      const docs = await listDocuments(tx, actor, {
        runId: id,
        kind: 'payment-notice',
        limit: BATCH_MAX + 1,
      });
      if (docs.length > BATCH_MAX)
        throw new AppError('DOCUMENT_BATCH_TOO_LARGE', undefined, { max: BATCH_MAX });
      const live = docs.filter((d) => d.status === 'issued').reverse();
      const pages: string[] = [];
      for (const d of live) pages.push((await documentHtml(tx, actor, d.id)).html);
      return pages;
    });
  }

  r.openapi(
    fileRoute(
      '/bill-runs/{id}/notices/print',
      'All live payment notices of a run as one printable page',
      'text/html',
    ),
    async (c) => {
      const pages = await runPages(c, c.req.valid('param').id);
      return c.html(joinPages(pages, '缴费通知单'), 200);
    },
  );
  r.openapi(
    fileRoute(
      '/bill-runs/{id}/notices/pdf',
      'All live payment notices of a run as one PDF',
      'application/pdf',
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      const pages = await runPages(c, id);
      return pdfResponse(await htmlToPdf(joinPages(pages, '缴费通知单')), `notices-${id}`) as never;
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Documents newest first (per account, run or kind)',
      query: DocumentQuery,
      response: DocumentList,
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await inTenant(p, c, 'documents.read', (tx, { actor }) => listDocuments(tx, actor, q));
      return c.json({ items }, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'One document',
      params: IdParam,
      response: Document,
    }),
    async (c) => {
      const doc = await inTenant(p, c, 'documents.read', (tx, { actor }) =>
        getDocument(tx, actor, c.req.valid('param').id),
      );
      return c.json(doc, 200);
    },
  );
  r.openapi(
    fileRoute('/{id}/print', 'The document as issued (print-ready HTML; voided ones stamped)', 'text/html'),
    async (c) => {
      const { doc, html } = await inTenant(p, c, 'documents.read', (tx, { actor }) =>
        documentHtml(tx, actor, c.req.valid('param').id),
      );
      return c.html(stamped(doc, html), 200);
    },
  );
  r.openapi(
    fileRoute(
      '/{id}/pdf',
      'The document as a PDF (DOCUMENT_PDF_UNAVAILABLE without Chromium)',
      'application/pdf',
    ),
    async (c) => {
      const { doc, html } = await inTenant(p, c, 'documents.read', (tx, { actor }) =>
        documentHtml(tx, actor, c.req.valid('param').id),
      );
      return pdfResponse(await htmlToPdf(stamped(doc, html)), doc.number) as never;
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/void',
      tag,
      summary: 'Void a document with a reason (a new one may then be issued for its source)',
      params: IdParam,
      body: VoidBody,
      status: 200,
      response: Document,
    }),
    async (c) => {
      const { reason } = c.req.valid('json');
      const doc = await inTenant(p, c, 'documents.void', async (tx, { actor, tenantId, meta }) => {
        const d = await voidDocument(tx, actor, c.req.valid('param').id, reason.trim());
        await recordAudit(tx, tenantId, meta, {
          action: 'documents.void',
          targetType: 'document',
          targetId: d.id,
          before: { status: 'issued' },
          after: { status: 'voided', reason: d.voidReason, number: d.number },
        });
        return d;
      });
      return c.json(doc, 200);
    },
  );
  return r;
}
