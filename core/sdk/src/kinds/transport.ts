import { z } from 'zod';
import type { PluginContext } from '../plugin/context.ts';
import { fnSchema, type PluginHeader } from '../plugin/header.ts';
import type { HookRouter } from '../plugin/http.ts';
import type { MeterRef, MeterRoute, RawReading } from './reading.ts';

/** A concentrator, DTU or network gateway a line of meters hangs off. */
export interface GatewayRef {
  id: string;
  protocol: string;
  address: string;
  params?: Readonly<Record<string, unknown>>;
}

export interface LineRef {
  id: string;
  /** e.g. { path: '/dev/ttyUSB0', baudRate: 2400 } or { host, port } */
  params: Readonly<Record<string, unknown>>;
  gateway?: GatewayRef;
}

export interface MeterTarget {
  meterId: string;
  ref: MeterRef;
  /** the route the meter's readings name; a concentrator transport reads its measuring point here */
  route?: MeterRoute;
  /** register keys wanted; all the transport can read when absent */
  registers?: readonly string[];
  /** per-meter wire parameters the transport documents (e.g. a vendor profile name) */
  params?: Readonly<Record<string, unknown>>;
}

/** What a poll reads: the meter's current values, or what it froze for a date or month. */
export type ReadKind = 'realtime' | 'daily' | 'monthly';

/** A batch of meters on one line, read in one go. */
export interface ReadRequest {
  tenantId: string;
  line: LineRef;
  meters: readonly MeterTarget[];
  signal: AbortSignal;
  /** default 'realtime' */
  kind?: ReadKind;
  /** with kind 'daily' the date 'YYYY-MM-DD', with 'monthly' the month 'YYYY-MM' (meter's zone) */
  frozenFor?: string;
}

export interface TransportFailure {
  /** stable code, e.g. TIMEOUT, CHECKSUM, NO_REPLY, METER_ERROR */
  code: string;
  message: string;
  retryable: boolean;
}

export type ReadResult =
  | { meterId: string; ok: true; reading: RawReading }
  | { meterId: string; ok: false; error: TransportFailure };

export const controlActions = [
  'valve-open',
  'valve-close',
  'relay-trip',
  'relay-close',
  'keep-power',
  'keep-power-clear',
  'alarm-on',
  'alarm-off',
  'freeze',
  'time-sync',
  'prepaid-params',
] as const;

/**
 * What a command asks of a meter. `relay-close` is the meter's close (allow-close or direct close
 * per its profile); `prepaid-params` writes DL/T 645-2007 04001001–04001005 from `params`
 * (`alarm1`, `alarm2`, `overdraft`, `hoarding`, `closePermit`, each in integer fen).
 */
export type ControlAction = (typeof controlActions)[number];

/** Supply state a meter reports: the same states its meter type's `valve` / `relay` registers carry. */
export interface ControlState {
  valve?: 'open' | 'closed' | 'abnormal';
  relay?: 'open' | 'closed';
  keepPower?: boolean;
}

/** One entry of the command outbox, drained by the transport that owns the meter. */
export interface ControlCommand {
  id: string;
  tenantId: string;
  meterId: string;
  ref: MeterRef;
  /** the meter's route (serial line and address, concentrator and point, NB-IoT device, DevEUI) */
  route?: MeterRoute;
  /** serial line or concentrator, shaped as a read request's line */
  line?: LineRef;
  action: ControlAction;
  params?: Readonly<Record<string, unknown>>;
  /** ISO instant after which the command must not reach the meter (platforms: cache until then) */
  expiresAt?: string;
  /** 1 on the first delivery, 2 on the first retry, … */
  attempt?: number;
}

/**
 * How a delivered command ended, as far as the transport can tell:
 * - `confirmed`: the state was read back from the meter and matches (`state` says what it read);
 * - `unverified`: the meter acknowledged it, but cannot report the state (or it is not a state
 *   command: time sync, freeze); the core shows "acknowledged, unverified";
 * - `queued`: handed to a platform or network that delivers later (NB-IoT platform cache, LoRa
 *   downlink queue); `platformRef` is the platform's command id, and the outcome arrives later
 *   through `ctx.core.controlUpdate` or as the state in the meter's next uplink.
 * Absent means `unverified`.
 */
export type ControlStatus = 'confirmed' | 'unverified' | 'queued';

export type ControlResult =
  | {
      commandId: string;
      ok: true;
      status?: ControlStatus;
      state?: ControlState;
      platformRef?: string;
      detail?: string;
    }
  | { commandId: string; ok: false; error: TransportFailure };

/**
 * A later report on a `queued` command, from a platform callback or a network ack. Names the
 * command by its id or by the `platformRef` the transport returned.
 * - `delivered`: the device received it (the core still waits for the state to come back);
 * - `confirmed` / `unverified`: as in ControlResult;
 * - `failed`: the platform or device refused it, or it timed out there.
 */
export interface ControlUpdate {
  commandId?: string;
  platformRef?: string;
  status: 'delivered' | 'confirmed' | 'unverified' | 'failed';
  state?: ControlState;
  error?: TransportFailure;
  detail?: string;
  /** ISO instant of the event */
  at?: string;
}

export interface DownloadResult {
  accepted: number;
  rejected: { meterId: string; reason: string }[];
}

/** One record of a concentrator's meter table as the terminal holds it (AFN 04 F10 / 0A F10). */
export interface GatewayMeterRecord {
  /** measuring point (测量点号) */
  point: number;
  /** terminal port the meter hangs on */
  port: number;
  /** codec name, e.g. 'dlt645-2007'; the terminal's number when it names none we know */
  protocol: string;
  address: string;
  /** collector (采集器) address, '' when the meter hangs directly on the port */
  collector: string;
}

/**
 * A terminal port's own reading schedule (Q/GDW 1376.1 AFN 04 F33 终端抄表运行参数): when the
 * concentrator reads the meters on that port by itself, in its wall time.
 */
export interface GatewayReadingPlan {
  port: number;
  /** days of the month, 1..31 */
  days: number[];
  /** 'HH:MM' */
  time: string;
  /** minutes between readings, 1..60 */
  intervalMinutes: number;
  /** periods reading is allowed in ('HH:MM', end may be '24:00') */
  segments: { start: string; end: string }[];
}

interface TransportBase<C, S> extends PluginHeader<C, S> {
  kind: 'transport';
  /** protocol names this transport speaks, matching `MeterRef.protocol` */
  protocols: readonly string[];
}

export interface PollTransport<C = unknown, S = unknown> extends TransportBase<C, S> {
  mode: 'poll';
  read(request: ReadRequest, ctx: PluginContext<C>): AsyncIterable<ReadResult>;
  control(command: ControlCommand, ctx: PluginContext<C>): Promise<ControlResult>;
  /** load the meter archive into a concentrator */
  downloadAddresses?(
    gateway: GatewayRef,
    meters: readonly MeterTarget[],
    ctx: PluginContext<C>,
  ): Promise<DownloadResult>;
  /** read the concentrator's meter table back (for the archive diff) */
  readAddresses?(gateway: GatewayRef, ctx: PluginContext<C>): Promise<GatewayMeterRecord[]>;
  /** remove measuring points the archive does not hold from the concentrator's table */
  removeAddresses?(
    gateway: GatewayRef,
    points: readonly number[],
    ctx: PluginContext<C>,
  ): Promise<DownloadResult>;
  /** set the concentrator's own reading schedule per port (throws a failure with a stable `code`) */
  setReadingPlan?(
    gateway: GatewayRef,
    plans: readonly GatewayReadingPlan[],
    ctx: PluginContext<C>,
  ): Promise<void>;
  /** read the reading schedule of these ports back (ports the terminal holds none for are left out) */
  readReadingPlan?(
    gateway: GatewayRef,
    ports: readonly number[],
    ctx: PluginContext<C>,
  ): Promise<GatewayReadingPlan[]>;
}

export interface PushTransport<C = unknown, S = unknown> extends TransportBase<C, S> {
  mode: 'push';
  /** public callbacks, mounted under `/hooks/<id>`; otherwise `start` subscribes to a broker */
  routes?(router: HookRouter<C>): void;
  /** downlink through the platform, where it supports one */
  control?(command: ControlCommand, ctx: PluginContext<C>): Promise<ControlResult>;
  /** the routes whose meters `control` reaches (the core picks the transport for a command by it) */
  reaches?: readonly ('nbiot' | 'lora')[];
}

export type TransportPlugin<C = unknown, S = unknown> = PollTransport<C, S> | PushTransport<C, S>;

export function defineTransport<C = unknown, S = unknown>(plugin: PollTransport<C, S>): PollTransport<C, S>;
export function defineTransport<C = unknown, S = unknown>(plugin: PushTransport<C, S>): PushTransport<C, S>;
/** Identity helper: gives a transport definition its types. */
export function defineTransport<C, S>(plugin: TransportPlugin<C, S>): TransportPlugin<C, S> {
  return plugin;
}

export const transportShapeSchema = z
  .looseObject({
    kind: z.literal('transport'),
    protocols: z.array(z.string().min(1)).min(1),
    mode: z.enum(['poll', 'push']),
    read: fnSchema.optional(),
    control: fnSchema.optional(),
    downloadAddresses: fnSchema.optional(),
    readAddresses: fnSchema.optional(),
    removeAddresses: fnSchema.optional(),
    setReadingPlan: fnSchema.optional(),
    readReadingPlan: fnSchema.optional(),
    routes: fnSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.mode === 'poll') {
      if (!p.read)
        ctx.addIssue({ code: 'custom', path: ['read'], message: 'a poll transport implements read()' });
      if (!p.control)
        ctx.addIssue({ code: 'custom', path: ['control'], message: 'a poll transport implements control()' });
      if (p.routes)
        ctx.addIssue({ code: 'custom', path: ['routes'], message: 'only push transports mount hooks' });
    } else {
      if (p.read) ctx.addIssue({ code: 'custom', path: ['read'], message: 'a push transport does not poll' });
      if (!p.routes && !p.start) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes'],
          message: 'a push transport mounts routes or subscribes in start()',
        });
      }
    }
  });
