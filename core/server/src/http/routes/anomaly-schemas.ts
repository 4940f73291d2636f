import { text, z } from '../route-kit.ts';

const Limit = z.coerce.number().int().min(1).max(200).default(50);
const Cursor = text(1, 2000).optional();
const statuses = ['open', 'assigned', 'resolved', 'dismissed'] as const;
const severities = ['info', 'warning', 'critical'] as const;
const Note = text(0, 500);

export const Finding = z
  .object({
    id: z.string(),
    meterId: z.string(),
    assetNo: z.string(),
    meterKind: z.string(),
    areaId: z.string(),
    rule: z.string(),
    severity: z.enum(severities),
    status: z.enum(statuses),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
    occurrences: z.number().int(),
    evidence: z.record(z.string(), z.unknown()),
    assignedTo: z.string().nullable(),
    assignedToName: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    note: z.string(),
  })
  .openapi('AnomalyFinding');

export const FindingPage = z
  .object({ items: z.array(Finding), next: z.string().nullable() })
  .openapi('AnomalyFindingPage');

export const FindingDetail = Finding.extend({
  readings: z.array(
    z.object({
      ts: z.string(),
      kind: z.number().int(),
      value: z.string().nullable(),
      registers: z.record(z.string(), z.string()).nullable(),
      status: z.string().nullable(),
      flags: z.array(z.string()).nullable(),
    }),
  ),
  history: z.array(z.object({ at: z.string(), action: z.string(), actorName: z.string(), note: z.string() })),
}).openapi('AnomalyFindingDetail');

export const FindingQuery = z.object({
  limit: Limit,
  after: Cursor,
  status: z.enum([...statuses, 'active']).optional(),
  severity: z.enum(severities).optional(),
  rule: text(1, 80).optional(),
  meterId: z.uuid().optional(),
  areaId: z.uuid().optional(),
  assignedTo: z.uuid().optional(),
});

export const AssignBody = z.object({ userId: z.uuid(), note: Note.default('') }).strict();
export const NoteBody = z.object({ note: text(1, 500) }).strict();
export const CloseBody = z
  .object({ outcome: z.enum(['resolved', 'dismissed']), note: Note.default('') })
  .strict();

export const RuleInfo = z
  .object({
    id: z.string(),
    severity: z.enum(severities),
    media: z.array(z.string()).nullable(),
    defaults: z.record(z.string(), z.unknown()),
  })
  .openapi('AnomalyRuleInfo');
