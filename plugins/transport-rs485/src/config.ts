import { secret } from '@quadmeter/sdk';
import { z } from 'zod';

/**
 * Instance configuration. Meter clocks run in `utcOffsetMinutes` (China: +480), which turns the
 * meters' wall-clock times into instants and tells which frozen record holds a date.
 */
export const configSchema = z.object({
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
  /** DL/T 645-2007 relay control: PA + P2P1P0 (level 02, password 000000); write-only */
  relayPassword: secret(
    z
      .string()
      .regex(/^[0-9A-Fa-f]{8}$/)
      .default('02000000'),
  ),
  /** operator code C3..C0 */
  relayOperator: z
    .string()
    .regex(/^[0-9A-Fa-f]{8}$/)
    .default('00000000'),
  /** how long a relay command stays valid in the meter, minutes */
  commandValidMinutes: z.number().int().min(1).max(1440).default(10),
});

export type Rs485Config = z.infer<typeof configSchema>;

/** The parsed configuration, defaults filled in (the context may carry none). */
export function configOf(c: unknown): Rs485Config {
  return configSchema.parse(c ?? {});
}
