import { z } from 'zod';

/**
 * What a reading is: a real-time read, a value the meter froze for a date (日冻结) or a month
 * (月冻结), one typed in by a person, or one estimated by the platform (VEE). The kind is part of a
 * stored reading's key, so a frozen value and a real-time value at the same instant both stay.
 */
export const readingKinds = ['realtime', 'daily', 'monthly', 'manual', 'estimated'] as const;
export type ReadingKind = (typeof readingKinds)[number];

/** How a transport addresses a meter on the wire (to build a frame): the codec and the address. */
export interface MeterRef {
  /** codec name, e.g. 'dlt645-2007', 'cjt188', 'mbus', 'lorawan' */
  protocol: string;
  /** address as the protocol displays it, e.g. '000000123456' */
  address: string;
}

/** The concentrator (Q/GDW 1376.1 terminal) as it names itself on the wire: region code and address. */
export interface GatewayAddress {
  /** region code A1, 4 hex digits, e.g. '3501' */
  a1: string;
  /** terminal address A2, 1–65535 */
  a2: number;
}

/**
 * How a reading names its meter: by the route it arrived on, never by an address alone, because
 * factory-default addresses repeat across lines. The core's device registry resolves a route to
 * (tenant, meter) among the tenants that enabled the transport.
 * - serial: the line key (`tcp://host:port`, `tty:/dev/ttyUSB0`) and the meter's address on it;
 * - concentrator: the concentrator's A1/A2 and the measuring point (测量点号);
 * - nbiot: the device id (IMEI or the platform's device id), optionally the platform;
 * - lora: the DevEUI.
 */
export type MeterRoute =
  | { via: 'serial'; line: string; address: string }
  | { via: 'concentrator'; gateway: GatewayAddress; point: number }
  | { via: 'nbiot'; deviceId: string; platform?: 'ctwing' | 'onenet' | 'iotda' }
  | { via: 'lora'; devEui: string };

/**
 * Quality of one register value: `missing` the meter sent no value (FF/EE-filled field),
 * `estimated` the value was filled in, `overflow` the meter flagged its counter as overflowed,
 * `suspect` the transport doubts it (e.g. a repaired frame).
 */
export const registerQualities = ['missing', 'estimated', 'overflow', 'suspect'] as const;
export type RegisterQuality = (typeof registerQualities)[number];

/** A status word and the protocol it came from: meter types decode status per protocol. */
export interface StatusWord {
  word: number;
  /** codec name, e.g. 'cjt188', 'mbus', 'dlt645-2007' */
  protocol: string;
}

/** What a transport hands to the core: one meter's registers at one instant. */
export interface RawReading {
  route: MeterRoute;
  kind: ReadingKind;
  /**
   * ISO 8601 instant the values were measured (the meter's clock when it reports one). For a
   * frozen reading, the instant the meter froze them; the stored key then uses `frozenFor`.
   */
  measuredAt: string;
  /** ISO 8601 instant the transport received the values */
  receivedAt: string;
  /** daily frozen: the date 'YYYY-MM-DD'; monthly frozen: the month 'YYYY-MM' (tenant's zone) */
  frozenFor?: string;
  /**
   * register key (as declared by the meter-type plugin) → value in the register's unit as a
   * decimal string ('1234.567'), a state register's state ('closed'), or null: no value.
   */
  registers: Record<string, string | null>;
  /** quality flags per register; a null value is always flagged `missing` by the core */
  quality?: Record<string, readonly RegisterQuality[]>;
  status?: StatusWord;
  /**
   * Stable for the same reading however often it is delivered (e.g. the platform's message id,
   * or protocol + address + frame time): a replay with the same key is a duplicate.
   */
  idempotencyKey: string;
  /** the frame the values came from, hex */
  raw?: string;
  /**
   * The tenant, when the transport knows it (a poll made on a tenant's behalf); it narrows the
   * resolution. A push transport leaves it out and the device registry finds the tenant.
   */
  tenantId?: string;
}

/** The values the core hands back to a meter-type plugin for validation and usage. */
export interface MeterReading {
  ts: string;
  /** numbers in the register's unit; state registers as their state; registers without value left out */
  registers: Readonly<Record<string, number | string>>;
  status?: number;
  /** the protocol `status` came from */
  statusProtocol?: string;
}

export const DECIMAL_PATTERN = /^\d{1,16}(?:\.\d{1,6})?$/;

const hex = z
  .string()
  .regex(/^(?:[0-9a-fA-F]{2})*$/, 'must be hex bytes')
  .max(8192);
const key = z.string().min(1).max(128);
const noNul = (s: z.ZodString) => s.refine((v) => !v.includes('\u0000'), 'must not contain NUL');

export const meterRouteSchema = z.discriminatedUnion('via', [
  z.object({ via: z.literal('serial'), line: noNul(key), address: noNul(z.string().min(1).max(64)) }),
  z.object({
    via: z.literal('concentrator'),
    gateway: z.object({ a1: z.string().regex(/^[0-9A-Fa-f]{4}$/), a2: z.number().int().min(1).max(65535) }),
    point: z.number().int().min(1).max(2040),
  }),
  z.object({
    via: z.literal('nbiot'),
    deviceId: noNul(z.string().min(1).max(64)),
    platform: z.enum(['ctwing', 'onenet', 'iotda']).optional(),
  }),
  z.object({
    via: z.literal('lora'),
    devEui: z.string().regex(/^[0-9A-Fa-f]{16}$/, 'must be 16 hex digits'),
  }),
]);

/** Shape check for readings that cross a trust boundary (push hooks, imports, the ingest API). */
export const rawReadingSchema = z
  .object({
    route: meterRouteSchema,
    kind: z.enum(readingKinds),
    measuredAt: z.iso.datetime({ offset: true }),
    receivedAt: z.iso.datetime({ offset: true }),
    frozenFor: z
      .string()
      .regex(/^\d{4}-\d{2}(?:-\d{2})?$/)
      .optional(),
    registers: z.record(noNul(z.string().min(1).max(64)), noNul(z.string().min(1).max(64)).nullable()),
    quality: z.record(z.string().min(1).max(64), z.array(z.enum(registerQualities)).max(4)).optional(),
    status: z
      .object({ word: z.number().int().min(0).max(0xffff_ffff), protocol: z.string().min(1).max(32) })
      .optional(),
    idempotencyKey: noNul(key),
    raw: hex.optional(),
    tenantId: z.uuid().optional(),
  })
  .superRefine((r, ctx) => {
    const daily = r.frozenFor !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(r.frozenFor);
    const monthly = r.frozenFor !== undefined && /^\d{4}-\d{2}$/.test(r.frozenFor);
    if (r.kind === 'daily' && !daily)
      ctx.addIssue({ code: 'custom', path: ['frozenFor'], message: 'a daily frozen reading names its date' });
    if (r.kind === 'monthly' && !monthly)
      ctx.addIssue({
        code: 'custom',
        path: ['frozenFor'],
        message: 'a monthly frozen reading names its month',
      });
    if (r.kind !== 'daily' && r.kind !== 'monthly' && r.frozenFor !== undefined)
      ctx.addIssue({ code: 'custom', path: ['frozenFor'], message: 'only frozen readings name a date' });
  });

/** The outcome of one reading handed to `ingestReadings`, in the order they were given. */
export type IngestOutcome =
  | { status: 'stored'; tenantId: string; meterId: string; flags: string[] }
  | { status: 'duplicate'; tenantId: string; meterId: string }
  | { status: 'rejected'; tenantId?: string; meterId?: string; reasons: IngestReason[] }
  | {
      status: 'unmatched';
      reason: 'NO_ROUTE' | 'AMBIGUOUS';
      /**
       * true when the core kept the reading in the tenant's unmatched-uplinks inbox (the reading
       * named a tenant that enabled the plugin), to be assigned to a meter or dismissed there
       */
      kept?: boolean;
    };

/** Why a reading was rejected: a stable code, and the register or field it concerns. */
export interface IngestReason {
  /** e.g. READING_MALFORMED, READING_BACKWARDS, VALUE_OUT_OF_RANGE, TIMESTAMP_NOT_AFTER */
  code: string;
  register?: string;
  message: string;
}
