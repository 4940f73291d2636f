import { billingModes, customerFactKinds, customerTypes } from '../../db/schema/index.ts';
import { isDate } from '../../services/archives/custom-fields.ts';
import { FACT_BOUNDS } from '../../services/archives/customer-facts.ts';
import { customerSorts } from '../../services/archives/customer-list.ts';
import { MAX_LIMIT } from '../../services/archives/list-kit.ts';
import { int32, text, z } from '../route-kit.ts';

/** A calendar date YYYY-MM-DD that exists (2025-02-30 does not). */
export const DateText = text(10, 10).refine(isDate, 'must be a date YYYY-MM-DD');

/** Archive numbers (customer, account): letters, digits and - _ / . only. */
export const ArchiveNumber = text(1, 40).regex(/^[A-Za-z0-9_./-]+$/, 'letters, digits and - _ / . only');
const Phone = text(3, 32).regex(/^[0-9+\-() ]+$/, 'digits, spaces and + - ( ) only');
const IdNumber = text(4, 32).regex(/^[0-9A-Za-z]+$/, 'letters and digits only');
const Tag = text(1, 40);

/** Custom values by field key; types, options and required fields are checked against definitions. */
export const CustomInput = z
  .record(text(1, 40), z.union([text(0, 1000), z.number(), z.boolean(), z.null()]))
  .refine((o) => Object.keys(o).length <= 100, 'at most 100 custom fields');

export const FactInput = z
  .object({
    kind: z.enum(customerFactKinds),
    effectiveFrom: DateText,
    value: z.number(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const b = FACT_BOUNDS[f.kind];
    if (!b) return;
    if (
      !Number.isFinite(f.value) ||
      f.value < b.min ||
      f.value > b.max ||
      (b.integer && !Number.isInteger(f.value))
    )
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `must be ${b.integer ? 'a whole number' : 'a number'} from ${b.min} to ${b.max}`,
      });
    else if (Math.round(f.value * 100) / 100 !== f.value)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'at most 2 decimal places' });
  });

const customerFields = {
  number: ArchiveNumber,
  name: text(1, 100),
  type: z.enum(customerTypes),
  phone: Phone.nullable(),
  idNumber: IdNumber.nullable(),
  address: text(1, 300).nullable(),
  areaId: z.uuid(),
  lowIncome: z.boolean(),
  tags: z.array(Tag).max(50),
  notes: text(0, 4000),
  status: z.enum(['active', 'closed']),
  custom: CustomInput,
};

export const CustomerCreate = z
  .object({
    ...customerFields,
    number: ArchiveNumber.optional(),
    /** numbering rule when `number` is omitted: prefix (default C) + areaCode + 6-digit sequence */
    numberPrefix: text(1, 8)
      .regex(/^[A-Za-z]+$/, 'letters only')
      .optional(),
    areaCode: text(1, 12)
      .regex(/^[A-Za-z0-9]+$/, 'letters and digits only')
      .optional(),
    type: customerFields.type.optional(),
    phone: customerFields.phone.optional(),
    idNumber: customerFields.idNumber.optional(),
    address: customerFields.address.optional(),
    lowIncome: customerFields.lowIncome.optional(),
    tags: customerFields.tags.optional(),
    notes: customerFields.notes.optional(),
    status: customerFields.status.optional(),
    custom: CustomInput.optional(),
    facts: z.array(FactInput).max(50).optional(),
  })
  .strict()
  .refine((b) => b.number === undefined || (b.numberPrefix === undefined && b.areaCode === undefined), {
    message: 'give either number or the numbering rule (numberPrefix, areaCode), not both',
  });

export const CustomerPatch = z
  .object(
    Object.fromEntries(Object.entries(customerFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof customerFields]: z.ZodOptional<(typeof customerFields)[K]>;
    },
  )
  .strict();

const Masked = z.string().nullable().openapi({ description: 'masked unless you hold customers.pii' });

export const Customer = z
  .object({
    id: z.string(),
    number: z.string(),
    name: z.string(),
    type: z.enum(customerTypes),
    phone: Masked,
    idNumber: Masked,
    address: z.string().nullable(),
    areaId: z.string(),
    areaPath: z.array(z.string()),
    lowIncome: z.boolean(),
    tags: z.array(z.string()),
    notes: z.string(),
    status: z.enum(['active', 'closed']),
    custom: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Customer');

export const FactsCurrent = z.object({
  household_size: z.number().nullable(),
  heated_area_m2: z.number().nullable(),
});

export const Fact = z.object({
  kind: z.enum(customerFactKinds),
  effectiveFrom: z.string(),
  value: z.number(),
});

export const CustomerDetail = Customer.extend({ facts: FactsCurrent }).openapi('CustomerDetail');

const Limit = z.coerce.number().int().min(1).max(MAX_LIMIT).default(50);

export const CustomerListQuery = z.object({
  q: text(1, 100).optional(),
  number: text(1, 40).optional(),
  name: text(1, 100).optional(),
  address: text(1, 300).optional(),
  phone: text(1, 32).optional(),
  areaId: z.uuid().optional(),
  status: z.enum(['active', 'closed']).optional(),
  type: z.enum(customerTypes).optional(),
  tag: Tag.optional(),
  sort: z.enum(customerSorts).optional(),
  after: text(1, 2000).optional(),
  limit: Limit,
});

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    next: z.string().nullable(),
    total: z.number(),
    totalIsEstimate: z.boolean(),
  });
}

export const HistoryEntry = z
  .object({
    id: z.string(),
    at: z.string(),
    actorType: z.string(),
    actorName: z.string(),
    action: z.string(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .openapi('HistoryEntry');

/** Fen as a decimal string (up to 18 digits, within bigint) or a safe integer; never a float. */
export const Fen = z
  .union([
    text(1, 18).regex(/^[0-9]{1,18}$/, 'whole fen as up to 18 digits'),
    z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  ])
  .transform((v) => BigInt(v));

const TariffPlans = z
  .record(text(1, 64).regex(/^[a-z][a-z0-9-]*$/, 'a meter kind such as meter-water'), text(1, 100))
  .refine((o) => Object.keys(o).length <= 20, 'at most 20 kinds');

const accountFields = {
  number: ArchiveNumber,
  readingDay: int32(1, 28),
  billingCycleMonths: int32(1, 12),
  tariffPlans: TariffPlans,
  depositFen: Fen,
  status: z.enum(['active', 'closed']),
  custom: CustomInput,
};

export const AccountCreate = z
  .object({
    customerId: z.uuid(),
    number: ArchiveNumber.optional(),
    billingMode: z.enum(billingModes).optional(),
    billingModeFrom: DateText.optional(),
    readingDay: accountFields.readingDay.optional(),
    billingCycleMonths: accountFields.billingCycleMonths.optional(),
    tariffPlans: TariffPlans.optional(),
    depositFen: Fen.optional(),
    status: accountFields.status.optional(),
    custom: CustomInput.optional(),
  })
  .strict();

export const AccountPatch = z
  .object(
    Object.fromEntries(Object.entries(accountFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof accountFields]: z.ZodOptional<(typeof accountFields)[K]>;
    },
  )
  .strict();

export const Account = z
  .object({
    id: z.string(),
    customerId: z.string(),
    customerNumber: z.string(),
    number: z.string(),
    areaPath: z.array(z.string()),
    billingMode: z.enum(billingModes).nullable(),
    readingDay: z.number(),
    billingCycleMonths: z.number(),
    tariffPlans: z.record(z.string(), z.string()),
    depositFen: z.string().openapi({ description: 'integer fen as a decimal string' }),
    status: z.enum(['active', 'closed']),
    custom: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi('Account');

export const BillingModeEntry = z.object({ effectiveFrom: z.string(), mode: z.enum(billingModes) });

export const AccountListQuery = z.object({
  customerId: z.uuid().optional(),
  number: text(1, 40).optional(),
  areaId: z.uuid().optional(),
  status: z.enum(['active', 'closed']).optional(),
  after: text(1, 2000).optional(),
  limit: Limit,
});
