import { FIELD_STATES } from '../../services/field/states.ts';
import { text, z } from '../route-kit.ts';

const Decimal = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,4})?$/, 'a non-negative decimal, at most 12 integer and 4 fraction digits');

export const WorkQuery = z.object({
  state: z.enum(FIELD_STATES).optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  after: text(1, 2000).optional(),
});

export const WorkItem = z
  .object({
    id: z.string(),
    assetNo: z.string(),
    kind: z.string(),
    control: z.string(),
    keepPower: z.boolean(),
    status: z.string(),
    areaName: z.string(),
    location: z.string().nullable(),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    distanceM: z.number().nullable(),
    accountNo: z.string().nullable(),
    customerName: z.string().nullable(),
    lastValue: z.string().nullable(),
    lastTs: z.string().nullable(),
    /** the account's balance in fen (integer text); negative = arrears */
    balanceFen: z.string().nullable(),
    states: z.array(z.enum(FIELD_STATES)),
  })
  .openapi('FieldWorkItem');

export const WorkPage = z
  .object({ items: z.array(WorkItem), next: z.string().nullable() })
  .openapi('FieldWorkPage');

export const ManualEntry = z
  .object({
    key: z.string(),
    meterId: z.string(),
    ts: z.string(),
    value: z.string(),
    note: z.string(),
    hasPhoto: z.boolean(),
    photoType: z.enum(['image/jpeg', 'image/png', 'image/webp']).nullable(),
    enteredByName: z.string(),
    createdAt: z.string(),
  })
  .openapi('FieldManualEntry');

export const CardReading = z
  .object({
    kind: z.string(),
    ts: z.string(),
    value: z.string().nullable(),
    flags: z.array(z.string()),
    status: z
      .object({
        word: z.number(),
        protocol: z.string().nullable(),
        fields: z.record(z.string(), z.union([z.boolean(), z.string()])),
      })
      .nullable(),
  })
  .openapi('FieldCardReading');

export const MeterCard = z
  .object({ meter: WorkItem, readings: z.array(CardReading), manual: z.array(ManualEntry) })
  .openapi('FieldMeterCard');

/** base64 of at most 2 MiB (the decoded size is checked again) */
const B64_MAX = Math.ceil((2 * 1024 * 1024) / 3) * 4;

export const ManualBody = z
  .object({
    /** the phone's idempotency key, made when the reading was entered */
    key: z.uuid(),
    value: Decimal,
    /** when it was read (entered offline: earlier than sent); now when absent */
    at: z.iso.datetime({ offset: true }).optional(),
    note: text(0, 500).optional(),
    photo: z
      .object({
        type: z.enum(['image/jpeg', 'image/png', 'image/webp']),
        data: z
          .string()
          .min(4)
          .max(B64_MAX + 8)
          .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi('FieldManualReading');
