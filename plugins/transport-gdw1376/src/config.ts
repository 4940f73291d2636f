import { z } from 'zod';

/** Instance configuration of the master station (主站 front end). */
export const configSchema = z.object({
  /** address the TCP server listens on */
  host: z.string().min(1).default('0.0.0.0'),
  /**
   * TCP port concentrators dial; 0 picks a free port (tests). Unset: the master station stays
   * off, so a platform started without this plugin's config never contends for a port.
   */
  port: z.number().int().min(0).max(65535).optional(),
  /** master station address MSA (A3 D1..D7) written into every master-initiated frame */
  msa: z.number().int().min(1).max(127).default(1),
  /** a logged-in link silent this long is dropped and its concentrator marked offline */
  heartbeatTimeoutSec: z.number().int().min(1).max(86_400).default(300),
  /** a connection that has not logged in after this long is dropped */
  loginTimeoutSec: z.number().int().min(1).max(3600).default(60),
  /** period of the one sweep that enforces both timeouts for every connection */
  sweepIntervalSec: z.number().min(0.05).max(3600).default(15),
  /** how long one request waits for its (last) reply frame */
  requestTimeoutMs: z.number().int().min(10).max(600_000).default(30_000),
  /** measuring points asked for in one AFN 0C / 0D request */
  pointsPerRequest: z.number().int().min(1).max(256).default(32),
  /** terminal port for AFN 10 forwarding when a meter names none (2 = first RS-485 port on many terminals) */
  forwardPort: z.number().int().min(1).max(31).default(2),
  /**
   * decimal places kept of the terminal's energy values (A.14 carries 4; DL/T 645 meters count 2
   * and the electricity meter type keeps 2): extra digits are cut, as a meter display does
   */
  energyDecimals: z.number().int().min(0).max(4).default(2),
  /**
   * What a terminal's Td_d / Td_m names: `closed` (the usual terminal) the day or month the freeze
   * at its end closes, `opened` the one the freeze opens. The platform's `frozenFor` is always the
   * day or month whose start the freeze marks (0011), so `closed` asks for the day or month before.
   */
  frozenLabel: z.enum(['closed', 'opened']).default('closed'),
  /**
   * how long a DL/T 645 relay command (1C) stays valid in the meter, minutes; a command that
   * expires sooner carries its own expiry instead
   */
  commandValidMinutes: z.number().int().min(1).max(1440).default(10),
  /** the terminals' wall clock offset from UTC in minutes (Asia/Shanghai: 480) */
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
  /** PW appended to AFN 04/05/10 frames, 32 hex digits (16 zero bytes when terminals do not check it) */
  password: z
    .string()
    .regex(/^[0-9A-Fa-f]{32}$/)
    .default('00000000000000000000000000000000'),
});

export type Gdw1376Config = z.output<typeof configSchema>;
