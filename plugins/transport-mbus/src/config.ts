import { z } from 'zod';

/** Instance configuration: meter clocks run at `utcOffsetMinutes` (China: +480). */
export const configSchema = z.object({
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
});

export type MbusConfig = z.infer<typeof configSchema>;

export function configOf(c: unknown): MbusConfig {
  return configSchema.parse(c ?? {});
}
