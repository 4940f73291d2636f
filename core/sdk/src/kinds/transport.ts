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

export type ControlAction =
  | 'valve-open'
  | 'valve-close'
  | 'relay-trip'
  | 'relay-close'
  | 'keep-power'
  | 'keep-power-clear'
  | 'freeze'
  | 'time-sync';

/** One entry of the command outbox, drained by the transport that owns the meter. */
export interface ControlCommand {
  id: string;
  tenantId: string;
  meterId: string;
  ref: MeterRef;
  line?: LineRef;
  action: ControlAction;
  params?: Readonly<Record<string, unknown>>;
}

export type ControlResult =
  | { commandId: string; ok: true; detail?: string }
  | { commandId: string; ok: false; error: TransportFailure };

export interface DownloadResult {
  accepted: number;
  rejected: { meterId: string; reason: string }[];
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
}

export interface PushTransport<C = unknown, S = unknown> extends TransportBase<C, S> {
  mode: 'push';
  /** public callbacks, mounted under `/hooks/<id>`; otherwise `start` subscribes to a broker */
  routes?(router: HookRouter<C>): void;
  /** downlink through the platform, where it supports one */
  control?(command: ControlCommand, ctx: PluginContext<C>): Promise<ControlResult>;
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
