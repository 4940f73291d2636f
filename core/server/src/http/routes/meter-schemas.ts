import { meterControls, meterProtocols, meterStatuses } from '../../db/schema/index.ts';
import { isSerialLine, serialBauds } from '../../services/archives/meter-address.ts';
import { int32, text, z } from '../route-kit.ts';

/** Custom values: scalar values under short keys (checked against the tenant's definitions). */
export const CustomBody = z
  .record(text(1, 64), z.union([text(0, 1000), z.number().finite(), z.boolean(), z.null()]))
  .refine((o) => Object.keys(o).length <= 100, 'at most 100 custom fields');

/** A register value: a decimal string, never a float. */
export const Reading = text(1, 30).regex(
  /^\d{1,16}(\.\d{1,4})?$/,
  'a decimal string with at most 4 decimals',
);

const bauds = serialBauds;

/** `tcp://host:port` (a serial server) or `tty:/dev/…` (a local port). */
export const SerialLine = text(1, 200).refine(isSerialLine, 'must be tcp://host:port or tty:/dev/…');

export const RouteBody = z
  .discriminatedUnion('via', [
    z
      .object({
        via: z.literal('serial'),
        line: SerialLine,
        baud: int32(300, 115200).refine(
          (b) => (bauds as readonly number[]).includes(b),
          `one of ${bauds.join(', ')}`,
        ),
        parity: z.enum(['E', 'N', 'O']),
        collectorId: z.uuid().nullable().optional(),
        channel: int32(0, 255).nullable().optional(),
      })
      .strict(),
    z
      .object({
        via: z.literal('concentrator'),
        concentratorId: z.uuid(),
        /** 测量点号 (Q/GDW 1376.1 pn 1–2040) */
        pointNo: int32(1, 2040),
        port: int32(1, 31),
        collectorId: z.uuid().nullable().optional(),
      })
      .strict(),
    z
      .object({
        via: z.literal('nbiot'),
        platform: z.enum(['ctwing', 'onenet', 'iotda']),
        deviceId: text(1, 64)
          .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -')
          .nullable()
          .optional(),
      })
      .strict(),
    z.object({ via: z.literal('lora') }).strict(),
  ])
  .openapi('MeterRouteInput');

export const Route = z
  .object({
    via: z.string(),
    line: z.string(),
    address: z.string(),
    baud: z.number().nullable(),
    parity: z.string().nullable(),
    collectorId: z.string().nullable(),
    channel: z.number().nullable(),
    concentratorId: z.string().nullable(),
    pointNo: z.number().nullable(),
    port: z.number().nullable(),
  })
  .openapi('MeterRoute');

export const meterFields = {
  kind: text(1, 64),
  assetNo: text(1, 64),
  commAddress: text(1, 32),
  protocol: z.enum(meterProtocols),
  vendorProfile: text(0, 64).nullable().optional(),
  model: text(0, 100).nullable().optional(),
  vendor: text(0, 100).nullable().optional(),
  ctRatio: int32(1, 100_000).optional(),
  ptRatio: int32(1, 100_000).optional(),
  /** integer register digits: the counter rolls over at 10^digits */
  digits: int32(1, 12).optional(),
  initialReading: Reading.optional(),
  installDate: z.iso.date().nullable().optional(),
  location: text(0, 200).nullable().optional(),
  areaId: z.uuid(),
  control: z.enum(meterControls).optional(),
  custom: CustomBody.optional(),
};

export const MeterCreate = z
  .object({
    ...meterFields,
    accountId: z.uuid().nullable().optional(),
    route: RouteBody.nullable().optional(),
  })
  .strict();

export const Meter = z
  .object({
    id: z.string(),
    kind: z.string(),
    assetNo: z.string(),
    commAddress: z.string(),
    protocol: z.enum(meterProtocols),
    vendorProfile: z.string().nullable(),
    model: z.string().nullable(),
    vendor: z.string().nullable(),
    ctRatio: z.number(),
    ptRatio: z.number(),
    digits: z.number(),
    initialReading: z.string(),
    installDate: z.string().nullable(),
    location: z.string().nullable(),
    areaId: z.string(),
    areaPath: z.array(z.string()),
    accountId: z.string().nullable(),
    control: z.enum(meterControls),
    keepPower: z.boolean(),
    status: z.enum(meterStatuses),
    custom: z.record(z.string(), z.unknown()),
    route: Route.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Meter');

export const MeterEvent = z
  .object({
    id: z.number(),
    meterId: z.string(),
    kind: z.string(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorName: z.string(),
    reason: z.string(),
    readings: z.record(z.string(), z.record(z.string(), z.string())),
    relatedMeterId: z.string().nullable(),
    fromAccountId: z.string().nullable(),
    toAccountId: z.string().nullable(),
  })
  .openapi('MeterEvent');

export const ListQuery = z.object({
  after: text(1, 400).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  order: z.enum(['asc', 'desc']).default('asc'),
});

export const MeterPage = z.object({
  items: z.array(Meter),
  next: z.string().nullable(),
  total: z.number(),
  totalCapped: z.boolean(),
});

/** A lifecycle action's who-and-why: the reason is required, the time defaults to now. */
export const why = { reason: text(1, 500), at: z.iso.datetime({ offset: true }).optional() };
