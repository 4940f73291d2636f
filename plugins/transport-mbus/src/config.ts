import { lineAliasesSchema } from '@quadmeter/sdk/serial';
import { z } from 'zod';

/** Instance configuration: meter clocks run at `utcOffsetMinutes` (China: +480). */
export const configSchema = z.object({
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
  /** line aliases: a line key the archive names → `tcp://host:port` or `tty:/dev/…` */
  lines: lineAliasesSchema,
});

export type MbusConfig = z.infer<typeof configSchema>;

export function configOf(c: unknown): MbusConfig {
  return configSchema.parse(c ?? {});
}
