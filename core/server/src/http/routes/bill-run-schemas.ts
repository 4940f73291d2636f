import { z } from '../route-kit.ts';

const day = z.iso.date().openapi({ example: '2026-10-01' });

export const StartBillRun = z
  .object({
    /** null: the whole tenant (whole-tenant users only) */
    areaId: z.uuid().nullable(),
    periodFrom: day,
    /** exclusive */
    periodTo: day,
  })
  .strict()
  .openapi('StartBillRun');

const status = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);

export const BillRunListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  status: status.optional(),
});

export const BillRun = z
  .object({
    id: z.string(),
    areaId: z.string().nullable(),
    areaName: z.string().nullable(),
    periodFrom: z.string(),
    periodTo: z.string(),
    status,
    progress: z.object({
      total: z.number(),
      billed: z.number(),
      held: z.number(),
      skipped: z.number(),
      failed: z.number(),
    }),
    rebill: z.boolean(),
    error: z.string().nullable(),
    createdByName: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('BillRun');

export const BillRunPage = z.object({ items: z.array(BillRun) }).openapi('BillRunPage');

export const BillRunDetail = z
  .object({
    run: BillRun,
    failures: z.array(
      z.object({ accountId: z.string(), accountNumber: z.string(), reasons: z.array(z.string()) }),
    ),
  })
  .openapi('BillRunDetail');
