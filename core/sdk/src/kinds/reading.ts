import { z } from 'zod';

/** How a transport names a meter on the wire: its protocol and the protocol's address string. */
export interface MeterRef {
  /** codec name, e.g. 'dlt645-2007', 'cjt188', 'mbus', 'lorawan' */
  protocol: string;
  /** address as the protocol displays it, e.g. '000000123456' */
  address: string;
}

/** What a transport hands to the core: one meter's registers at one instant. */
export interface RawReading {
  meterRef: MeterRef;
  /** ISO 8601 instant the values were measured (the meter's clock when it reports one) */
  ts: string;
  /** register key (as declared by the meter-type plugin) → value in the register's unit */
  registers: Record<string, number | string>;
  /** status bits as read from the meter, decoded by the meter-type plugin */
  status?: number;
  /** the frame the values came from, hex */
  raw?: string;
  /** id of the plugin that produced the reading */
  source: string;
}

/** The values the core hands back to a meter-type plugin for validation and usage. */
export interface MeterReading {
  ts: string;
  registers: Readonly<Record<string, number | string>>;
  status?: number;
}

const registerValue = z.union([
  z.number().refine(Number.isFinite, 'must be a finite number'),
  z.string().max(64),
]);

/** Shape check for readings that cross a trust boundary (push hooks, imports). */
export const rawReadingSchema = z.object({
  meterRef: z.object({
    protocol: z.string().min(1).max(32),
    address: z.string().min(1).max(64),
  }),
  ts: z.iso.datetime({ offset: true }),
  registers: z.record(z.string().min(1).max(64), registerValue),
  status: z.number().int().min(0).max(0xffff_ffff).optional(),
  raw: z
    .string()
    .regex(/^(?:[0-9a-fA-F]{2})*$/, 'must be hex bytes')
    .max(8192)
    .optional(),
  source: z.string().min(1).max(64),
});
