import { documentKinds, documentVariants } from '../../services/documents/kinds.ts';
import { MAX_TEMPLATE } from '../../services/documents/render.ts';
import { int32, text, z } from '../route-kit.ts';

export const TemplateParams = z.object({
  kind: text(1, 40).openapi({ param: { name: 'kind', in: 'path' } }),
  variant: text(1, 20).openapi({ param: { name: 'variant', in: 'path' } }),
});

export const VersionParams = TemplateParams.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .openapi({ param: { name: 'version', in: 'path' } }),
});

export const KindParam = z.object({ kind: text(1, 40).openapi({ param: { name: 'kind', in: 'path' } }) });

const Kind = z.enum(documentKinds);
const Variant = z.enum(documentVariants);

export const TemplateSummary = z
  .object({
    kind: Kind,
    variant: Variant,
    source: z.enum(['tenant', 'default']),
    version: z.number().nullable(),
  })
  .openapi('DocumentTemplateSummary');

export const TemplateSummaryList = z
  .object({ items: z.array(TemplateSummary) })
  .openapi('DocumentTemplateSummaryList');

export const TemplateVersion = z
  .object({
    id: z.string(),
    version: z.number(),
    note: z.string(),
    createdByName: z.string(),
    createdAt: z.string(),
    publishedAt: z.string().nullable(),
    current: z.boolean(),
  })
  .openapi('DocumentTemplateVersion');

export const TemplateDetail = z
  .object({
    kind: Kind,
    variant: Variant,
    source: z.string(),
    origin: z.enum(['tenant', 'default']),
    version: z.number().nullable(),
    defaultSource: z.string(),
    versions: z.array(TemplateVersion),
    fields: z.array(z.string()),
  })
  .openapi('DocumentTemplate');

export const VersionCreate = z
  .object({
    source: text(1, MAX_TEMPLATE),
    note: text(0, 200).default(''),
    /** make it current at once */
    publish: z.boolean().default(false),
  })
  .strict()
  .openapi('DocumentTemplateVersionCreate');

export const VersionSource = TemplateVersion.extend({ source: z.string() }).openapi(
  'DocumentTemplateVersionSource',
);

export const PreviewBody = z
  .object({
    kind: Kind,
    variant: Variant,
    source: text(1, MAX_TEMPLATE),
    /** render with a real payment (receipt) or bill (notice, invoice) instead of the sample */
    paymentId: z.uuid().optional(),
    billId: z.uuid().optional(),
  })
  .strict()
  .openapi('DocumentPreviewBody');

export const PreviewResult = z.object({ html: z.string() }).openapi('DocumentPreview');

export const Series = z
  .object({ kind: Kind, pattern: z.string(), nextSeq: z.string(), period: z.string() })
  .openapi('DocumentSeries');
export const SeriesList = z.object({ items: z.array(Series) }).openapi('DocumentSeriesList');
export const SeriesBody = z
  .object({ pattern: text(1, 64) })
  .strict()
  .openapi('DocumentSeriesBody');

export const Document = z
  .object({
    id: z.string(),
    number: z.string(),
    kind: Kind,
    variant: Variant,
    accountId: z.string(),
    accountNumber: z.string(),
    sourceType: z.enum(['payment', 'bill', 'run', 'account']),
    sourceId: z.string(),
    runId: z.string().nullable(),
    templateVersion: z.number().nullable(),
    status: z.enum(['issued', 'voided']),
    issuedByName: z.string(),
    issuedAt: z.string(),
    voidReason: z.string().nullable(),
    voidedByName: z.string().nullable(),
    voidedAt: z.string().nullable(),
  })
  .openapi('Document');

export const DocumentIssued = Document.extend({ replayed: z.boolean() }).openapi('DocumentIssued');
export const DocumentList = z.object({ items: z.array(Document) }).openapi('DocumentList');

export const DocumentQuery = z.object({
  accountId: z.uuid().optional(),
  runId: z.uuid().optional(),
  kind: Kind.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ReceiptBody = z
  .object({ paymentId: z.uuid(), variant: Variant.default('a4') })
  .strict()
  .openapi('DocumentReceiptBody');

export const BillDocumentBody = z
  .object({ billId: z.uuid(), kind: z.enum(['payment-notice', 'invoice']) })
  .strict()
  .openapi('DocumentBillBody');

export const NoticeBatch = z
  .object({ issued: int32(0), replayed: int32(0), documentIds: z.array(z.string()) })
  .openapi('DocumentNoticeBatch');

export const VoidBody = z
  .object({ reason: text(1, 200).refine((s) => s.trim().length > 0, 'must not be blank') })
  .strict()
  .openapi('DocumentVoidBody');
