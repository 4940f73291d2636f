import { z } from '@hono/zod-openapi';
import { PageQuery, text } from '../route-kit.ts';
import { DateText } from './archive-schemas.ts';

export const DeductionRunView = z
  .object({
    id: z.string(),
    day: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.object({
      meters: z.number().int().optional(),
      failed: z.number().int().optional(),
      postings: z.number().int().optional(),
      fen: z.number().int().optional(),
    }),
    error: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('PrepaidDeductionRun');

export const DeductionRunList = z
  .object({ items: z.array(DeductionRunView), total: z.number().int() })
  .openapi('PrepaidDeductionRunList');

export const DeductionRunQuery = PageQuery;

export const DeductionRunBody = z.object({ day: DateText }).strict().openapi('PrepaidDeductionRunInput');

export const DeductionSettingsBody = z
  .object({
    mode: z.enum(['daily', 'per-reading']),
    runAt: text(5, 5).regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM'),
  })
  .strict()
  .openapi('PrepaidDeductionSettings');

export const DeductionView = z
  .object({
    day: z.string(),
    meterId: z.string().nullable(),
    category: z.string(),
    amountFen: z.number().int(),
    businessKey: z.string(),
    postedAt: z.string(),
  })
  .openapi('PrepaidDeduction');
