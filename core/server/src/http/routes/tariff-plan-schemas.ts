import { isDate } from '../../services/billing/tariff/dates.ts';
import { planKinds } from '../../services/billing/tariff-store/index.ts';
import { text, z } from '../route-kit.ts';

/** the tariff format's code: what accounts name and a version body's `code` must repeat */
const code = text(1, 64).regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _');
const status = z.enum(['active', 'retired']);

export const TariffPlan = z
  .object({
    id: z.string(),
    code: z.string(),
    kind: z.string(),
    name: z.string(),
    description: z.string(),
    status,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('TariffPlan');

export const PlanCreate = z
  .strictObject({
    code,
    kind: z.enum(planKinds),
    name: text(1, 200),
    description: text(0, 2000).optional(),
  })
  .openapi('TariffPlanCreate');

export const PlanPatch = z.strictObject({
  name: text(1, 200).optional(),
  description: text(0, 2000).optional(),
  status: status.optional(),
});

export const PlanListQuery = z.strictObject({
  kind: text(1, 64).optional(),
  status: status.optional(),
});

export const TariffVersion = z
  .object({
    id: z.string(),
    planId: z.string(),
    version: z.number().int(),
    effectiveFrom: z.string(),
    status: z.enum(['draft', 'published']),
    body: z.unknown().openapi({ description: 'A format-1 tariff with one version (docs/tariffs.md)' }),
    note: z.string(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    publishedBy: z.string().nullable(),
    publishedByName: z.string().nullable(),
    publishedAt: z.string().nullable(),
  })
  .openapi('TariffVersion');

const body = z.unknown().openapi({ description: 'A format-1 tariff with one version (docs/tariffs.md)' });

export const DraftCreate = z
  .strictObject({ body, note: text(0, 2000).optional() })
  .refine((b) => b.body !== undefined, { message: 'give body', path: ['body'] })
  .openapi('TariffDraftCreate');

export const DraftPatch = z
  .strictObject({ body: body.optional(), note: text(0, 2000).optional() })
  .refine((b) => b.body !== undefined || b.note !== undefined, {
    message: 'at least one field must be given',
  });

export const VersionParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
  vid: z.uuid().openapi({ param: { name: 'vid', in: 'path' } }),
});

const day = z.string().refine(isDate, 'a calendar date YYYY-MM-DD (1970–2199)');

export const WhatIfBody = z
  .strictObject({
    period: z.strictObject({ from: day, to: day }),
    accountIds: z.array(z.uuid()).min(1).max(5_000).optional(),
    areaId: z.uuid().optional(),
  })
  .refine((b) => b.period.to > b.period.from, {
    message: 'period.to must follow period.from',
    path: ['period', 'to'],
  })
  .refine((b) => Date.parse(b.period.to) - Date.parse(b.period.from) <= 800 * 86_400_000, {
    message: 'a period spans at most 800 days',
    path: ['period', 'to'],
  })
  .refine((b) => !(b.accountIds && b.areaId), { message: 'give accountIds or areaId, not both' })
  .openapi('TariffWhatIfRequest');

export const WhatIfResult = z
  .object({
    period: z.object({ from: z.string(), to: z.string() }),
    version: z.number().int(),
    currentVersions: z.array(z.number().int()),
    currentError: z.string().optional(),
    accounts: z.array(
      z.object({
        accountId: z.string(),
        number: z.string(),
        customerName: z.string(),
        meters: z.number().int(),
        consumption: z.string(),
        currentFen: z.number().int().nullable(),
        draftFen: z.number().int().nullable(),
        differenceFen: z.number().int().nullable(),
        error: z.string().optional(),
      }),
    ),
    totals: z.object({
      accounts: z.number().int(),
      compared: z.number().int(),
      currentFen: z.number().int(),
      draftFen: z.number().int(),
      differenceFen: z.number().int(),
    }),
  })
  .openapi('TariffWhatIf');
