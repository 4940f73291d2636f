import { resolve } from 'node:path';
import { AppError } from '@quadmeter/sdk';
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  QUADMETER_DATA_DIR: z.string().min(1).default('./.data'),
  QUADMETER_DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  QUADMETER_OPERATOR_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  QUADMETER_SIMULATORS: z.enum(['on', 'off']).default('on'),
  /** unset: create the demo tenant only when no tenant exists yet; on: create it if missing; off: never */
  QUADMETER_DEMO: z.enum(['on', 'off']).optional(),
  /** how long a start waits for an unreachable database before giving up */
  QUADMETER_DB_WAIT_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QUADMETER_SESSION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  QUADMETER_BODY_LIMIT_KB: z.coerce
    .number()
    .int()
    .positive()
    .max(100 * 1024)
    .default(1024),
});

export type Config = Omit<z.infer<typeof schema>, 'QUADMETER_DATA_DIR'> & { QUADMETER_DATA_DIR: string };

/** Reads and validates configuration from the environment; names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError('CONFIG_INVALID', `Invalid configuration:\n  ${lines.join('\n  ')}`, lines);
  }
  return { ...parsed.data, QUADMETER_DATA_DIR: resolve(parsed.data.QUADMETER_DATA_DIR) };
}
