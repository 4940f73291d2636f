import { controlActions } from '@quadmeter/sdk';
import { int32, text, z } from '../route-kit.ts';

const Limit = z.coerce.number().int().min(1).max(200).default(50);
const Cursor = text(1, 2000).optional();
const Action = z.enum(controlActions);
const statuses = ['queued', 'sent', 'confirmed', 'failed', 'expired', 'cancelled'] as const;
const sources = ['operator', 'schedule', 'prepaid', 'api'] as const;
/** XXXXXX.XX yuan on the meter: at most 99,999,999 fen */
const Fen = int32(0, 99_999_999);

/** What a command may carry: prepaid amounts in integer fen, a DL/T 645 password and operator code. */
const Params = z
  .object({
    alarm1: Fen.optional(),
    alarm2: Fen.optional(),
    overdraft: Fen.optional(),
    hoarding: Fen.optional(),
    closePermit: Fen.optional(),
    password: z
      .string()
      .regex(/^[0-9]{2}[0-9A-Fa-f]{6}$/, 'level (2 digits) and password (6 hex digits)')
      .optional(),
    operator: z
      .string()
      .regex(/^[0-9A-Fa-f]{8}$/, '8 hex digits')
      .optional(),
  })
  .strict();

const prepaidKeys = ['alarm1', 'alarm2', 'overdraft', 'hoarding', 'closePermit'] as const;

const common = {
  reason: text(1, 200),
  params: Params.optional(),
  priority: int32(0, 9).optional(),
  expiresInMinutes: int32(1, 20_160).optional(),
  override: z.boolean().optional(),
};

const prepaidNeedsAmount = (o: { action: string; params?: z.infer<typeof Params> }) =>
  o.action !== 'prepaid-params' || prepaidKeys.some((k) => o.params?.[k] !== undefined);
const amountMessage = { message: 'prepaid-params needs at least one amount', path: ['params'] };

export const CreateCommand = z
  .object({ action: Action, ...common, idempotencyKey: text(1, 100).optional() })
  .strict()
  .refine(prepaidNeedsAmount, amountMessage)
  .openapi('CommandCreate');

const State = z
  .object({
    valve: z.enum(['open', 'closed', 'abnormal']).optional(),
    relay: z.enum(['open', 'closed']).optional(),
    keepPower: z.boolean().optional(),
  })
  .nullable();

export const Command = z
  .object({
    id: z.string(),
    meterId: z.string(),
    assetNo: z.string(),
    areaId: z.string(),
    batchId: z.string().nullable(),
    action: Action,
    params: z.record(z.string(), z.unknown()),
    status: z.enum(statuses),
    verified: z.boolean().nullable(),
    source: z.enum(sources),
    priority: z.number(),
    reason: z.string(),
    requestedBy: z.string().nullable(),
    requestedByName: z.string(),
    override: z.boolean(),
    expiresAt: z.string(),
    attempts: z.number(),
    maxAttempts: z.number(),
    nextAttemptAt: z.string(),
    transport: z.string().nullable(),
    platformRef: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    state: State,
    errorCode: z.string().nullable(),
    detail: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Command');

export const CommandPage = z
  .object({ items: z.array(Command), next: z.string().nullable() })
  .openapi('CommandPage');

export const MeterCommandQuery = z.object({ limit: Limit, after: Cursor });

export const CommandListQuery = z.object({
  limit: Limit,
  after: Cursor,
  status: z.enum(statuses).optional(),
  action: Action.optional(),
  source: z.enum(sources).optional(),
  meterId: z.uuid().optional(),
  batchId: z.uuid().optional(),
});

const Meters = { target: z.literal('meters'), meterIds: z.array(z.uuid()).min(1).max(5000) };
const Group = { target: z.literal('group'), groupId: z.uuid() };
const Area = { target: z.literal('area'), areaId: z.uuid() };
const previewFields = { action: Action, override: z.boolean().optional() };
const batchFields = { action: Action, ...common };

export const PreviewBatch = z
  .discriminatedUnion('target', [
    z.object({ ...Meters, ...previewFields }).strict(),
    z.object({ ...Group, ...previewFields }).strict(),
    z.object({ ...Area, ...previewFields }).strict(),
  ])
  .openapi('CommandBatchPreviewRequest');

export const CreateBatch = z
  .discriminatedUnion('target', [
    z.object({ ...Meters, ...batchFields }).strict(),
    z.object({ ...Group, ...batchFields }).strict(),
    z.object({ ...Area, ...batchFields }).strict(),
  ])
  .refine(prepaidNeedsAmount, amountMessage)
  .openapi('CommandBatchCreate');

export const BatchPreview = z
  .object({
    meters: z.number(),
    customers: z.number(),
    keepPower: z.number(),
    unsupported: z.number(),
    needsApproval: z.boolean(),
    threshold: z.number(),
  })
  .openapi('CommandBatchPreview');

const batchStatuses = ['pending_approval', 'released', 'rejected', 'cancelled'] as const;

export const Batch = z
  .object({
    id: z.string(),
    action: Action,
    params: z.record(z.string(), z.unknown()),
    reason: z.string(),
    target: z.enum(['meters', 'group', 'area']),
    targetId: z.string().nullable(),
    meterCount: z.number(),
    customerCount: z.number(),
    priority: z.number(),
    override: z.boolean(),
    expiresAt: z.string(),
    status: z.enum(batchStatuses),
    requestedBy: z.string().nullable(),
    requestedByName: z.string(),
    decidedBy: z.string().nullable(),
    decidedByName: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    createdAt: z.string(),
    progress: z.record(z.enum(statuses), z.number()),
  })
  .openapi('CommandBatch');

export const BatchPage = z
  .object({ items: z.array(Batch), next: z.string().nullable() })
  .openapi('CommandBatchPage');

export const BatchListQuery = z.object({
  limit: Limit,
  after: Cursor,
  status: z.enum(batchStatuses).optional(),
});

export const Decision = z.object({ note: text(0, 500).optional() }).strict();

export const ControlSettingsBody = z
  .object({
    approvalThreshold: int32(0, 1_000_000),
    expiryMinutes: int32(1, 20_160),
    maxAttempts: int32(1, 10),
  })
  .strict()
  .openapi('ControlSettings');
