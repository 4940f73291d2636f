import { z } from '@hono/zod-openapi';
import { PREPAID_STATES } from '../../services/prepaid/policy-types.ts';
import { text } from '../route-kit.ts';
import { DateText } from './archive-schemas.ts';
import { DeductionView } from './prepaid-deduction-schemas.ts';

const Fen = z.number().int().min(0).max(100_000_000_000);
const HHMM = text(5, 5).regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM');

/** One stored policy level: every field present, null inherits from the level above. */
export const PolicyLevelBody = z
  .object({
    alarm1Fen: Fen.nullable(),
    alarm2Fen: Fen.nullable(),
    overdraftLimitFen: Fen.nullable(),
    cutDelayMinutes: z.number().int().min(0).max(43_200).nullable(),
    reconnectThresholdFen: Fen.nullable(),
    hoardingLimitFen: Fen.min(1).nullable(),
    nightProtect: z.boolean().nullable(),
    nightStart: HHMM.nullable(),
    nightEnd: HHMM.nullable(),
    weekendProtect: z.boolean().nullable(),
    holidayProtect: z.boolean().nullable(),
  })
  .strict()
  .openapi('PrepaidPolicyLevel');

export const PolicyBody = z
  .object({
    alarm1Fen: z.number().int(),
    alarm2Fen: z.number().int(),
    overdraftLimitFen: z.number().int(),
    cutDelayMinutes: z.number().int(),
    reconnectThresholdFen: z.number().int(),
    hoardingLimitFen: z.number().int().nullable(),
    nightProtect: z.boolean(),
    nightStart: z.string(),
    nightEnd: z.string(),
    weekendProtect: z.boolean(),
    holidayProtect: z.boolean(),
  })
  .openapi('PrepaidPolicy');

export const TenantPolicyView = z
  .object({ stored: PolicyLevelBody.nullable(), effective: PolicyBody })
  .openapi('PrepaidTenantPolicy');

export const GroupBody = z
  .object({
    name: text(1, 100).refine((s) => s.trim().length > 0, 'must not be blank'),
    policy: PolicyLevelBody,
  })
  .strict()
  .openapi('PrepaidGroupInput');

export const GroupView = z
  .object({
    id: z.string(),
    name: z.string(),
    policy: PolicyLevelBody.nullable(),
    accounts: z.number().int(),
  })
  .openapi('PrepaidGroup');

export const GroupList = z.object({ items: z.array(GroupView) }).openapi('PrepaidGroupList');

export const KeepPowerBody = z.object({ on: z.boolean() }).strict().openapi('PrepaidKeepPower');
export const AssignGroupBody = z
  .object({ groupId: z.uuid().nullable() })
  .strict()
  .openapi('PrepaidAssignGroup');

export const StateEnum = z.enum(PREPAID_STATES);

export const BoardQuery = z.object({ areaId: z.uuid().optional() });
export const BoardView = z
  .object({
    totals: z.record(z.string(), z.number().int()),
    failed: z.number().int(),
    areas: z.array(
      z.object({
        areaId: z.string(),
        areaName: z.string(),
        counts: z.record(z.string(), z.number().int()),
        failed: z.number().int(),
      }),
    ),
  })
  .openapi('PrepaidBoard');

export const ListQuery = z.object({
  state: StateEnum.optional(),
  areaId: z.uuid().optional(),
  failed: z.enum(['true', 'false']).optional(),
  after: text(1, 40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const Item = z.object({
  accountId: z.string(),
  number: z.string(),
  customerName: z.string(),
  areaName: z.string(),
  state: StateEnum,
  stateSince: z.string(),
  keepPower: z.boolean(),
  cutDueAt: z.string().nullable(),
  commandStatus: z.string(),
  commandError: z.string().nullable(),
  balanceFen: z.number().int(),
});
export const ListView = z
  .object({ items: z.array(Item), next: z.string().nullable() })
  .openapi('PrepaidAccountList');

export const PanelView = z
  .object({
    accountId: z.string(),
    accountNumber: z.string(),
    prepaid: z.boolean(),
    balanceFen: z.number().int(),
    state: StateEnum.nullable(),
    stateSince: z.string().nullable(),
    keepPower: z.boolean(),
    groupId: z.string().nullable(),
    commandStatus: z.string(),
    commandError: z.string().nullable(),
    commandIds: z.array(z.string()),
    next: z.object({ action: z.string(), at: z.string().nullable() }).nullable(),
    policy: PolicyBody,
    events: z.array(z.record(z.string(), z.unknown())),
    notices: z.array(z.record(z.string(), z.unknown())),
    deductions: z.array(DeductionView),
  })
  .openapi('PrepaidPanel');

export const AccountPolicyView = z
  .object({ stored: PolicyLevelBody.nullable(), effective: PolicyBody })
  .openapi('PrepaidAccountPolicy');

export const HolidayDay = z
  .object({ day: DateText, kind: z.enum(['holiday', 'workday']), name: text(0, 100).default('') })
  .strict();
export const YearParam = z.object({
  year: z
    .string()
    .regex(/^(19[7-9][0-9]|20[0-9]{2}|2100)$/, 'must be a year 1970–2100')
    .openapi({ param: { name: 'year', in: 'path' } }),
});
export const HolidaysBody = z
  .object({ days: z.array(HolidayDay).max(366) })
  .strict()
  .openapi('PrepaidHolidaysInput');
export const HolidaysView = z
  .object({
    year: z.number().int(),
    days: z.array(z.object({ day: z.string(), kind: z.string(), name: z.string() })),
  })
  .openapi('PrepaidHolidays');
