import { resolve } from 'node:path';
import { AppError } from '@quadmeter/sdk';
import { z } from 'zod';
import { parseTrustProxy } from './http/trust-proxy.ts';

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A 32-byte key as 64 hex digits or base64; undefined when it is neither. */
export function decodeSecretKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-f]{64}$/i.test(t)) return Buffer.from(t, 'hex');
  const key = Buffer.from(t, 'base64');
  return key.length === 32 && key.toString('base64') === t ? key : undefined;
}

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  QUADMETER_DATA_DIR: z.string().min(1).default('./.data'),
  /** bearer token Prometheus presents at /metrics; unset: /metrics answers 404 METRICS_DISABLED */
  QUADMETER_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** the platform's public origin (https://pay.example.com): payment providers call back under it */
  QUADMETER_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  QUADMETER_DEMO_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  QUADMETER_OPERATOR_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  QUADMETER_SIMULATORS: z.enum(['on', 'off']).default('on'),
  /** unset: create the demo tenant only when no tenant exists yet; on: create it if missing; off: never */
  QUADMETER_DEMO: z.enum(['on', 'off']).optional(),
  /** the demo tenant's archive (customers, accounts, meters, gateways) besides its area tree */
  QUADMETER_DEMO_ESTATE: z.enum(['on', 'off']).default('on'),
  /** how long a start waits for an unreachable database before giving up */
  QUADMETER_DB_WAIT_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QUADMETER_SESSION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  QUADMETER_TRUST_PROXY: z
    .string()
    .default('')
    .superRefine((v, ctx) => {
      try {
        parseTrustProxy(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    }),
  // connection pools (db/client.ts): HTTP requests, job workers + pg-boss, plugins' long work
  QUADMETER_POOL_HTTP: z.coerce.number().int().min(1).max(200).default(10),
  QUADMETER_POOL_JOBS: z.coerce.number().int().min(1).max(200).default(5),
  QUADMETER_POOL_PLUGINS: z.coerce.number().int().min(1).max(200).default(5),
  QUADMETER_BODY_LIMIT_KB: z.coerce
    .number()
    .int()
    .positive()
    .max(100 * 1024)
    .default(1024),
  /** largest import file (xlsx or CSV) accepted by POST /api/v1/imports, in MiB */
  QUADMETER_IMPORT_LIMIT_MB: z.coerce.number().int().positive().max(1024).default(50),
  /** the zone schedules run in (a freeze at 00:00 is local midnight), an IANA name */
  QUADMETER_TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  /** the deployment file listing external plugins; default quadmeter.config.json in the working dir */
  QUADMETER_CONFIG: z.string().min(1).optional(),
  /** external plugins to load beside the built-in ones: package names or paths, comma-separated */
  QUADMETER_PLUGINS: z.string().optional(),
  /** how long a plugin's setup, start, stop or health may take before it is given up on */
  QUADMETER_HOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** customer self-service: WeChat web authorisation `{ "endpoint", "appid", "secret" }` (JSON) */
  QUADMETER_SELF_OAUTH: z.string().min(2).optional(),
  /** a JSON file `{ "<plugin-id>": { …config } }`; QUADMETER_PLUGIN_<ID> variables override it */
  QUADMETER_PLUGINS_CONFIG: z.string().min(1).optional(),
  /** which part of the platform this process runs (docs/scaling.md): api, worker, gateway or all */
  QUADMETER_ROLE: z.enum(['all', 'api', 'worker', 'gateway']).default('all'),
  /** a gateway's lease on a line lapses when not renewed for this long (ms); another gateway then takes it */
  QUADMETER_LEASE_TTL_MS: z.coerce.number().int().min(200).max(600_000).default(10_000),
  /** 32 bytes (hex or base64) encrypting plugin secrets; generated into the data dir when unset */
  QUADMETER_SECRET_KEY: z
    .string()
    .refine((k) => decodeSecretKey(k) !== undefined, 'must be 32 bytes as 64 hex digits or base64')
    .optional(),
});

/** Prefix of the per-plugin config variables: QUADMETER_PLUGIN_METER_WATER='{"…":…}'. */
export const PLUGIN_ENV_PREFIX = 'QUADMETER_PLUGIN_';

export type Config = Omit<z.infer<typeof schema>, 'QUADMETER_DATA_DIR'> & {
  QUADMETER_DATA_DIR: string;
  /** the QUADMETER_PLUGIN_<ID> variables, raw (parsed and validated by the plugin host) */
  pluginEnv?: Readonly<Record<string, string>>;
};

/** Reads and validates configuration from the environment; names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError('CONFIG_INVALID', `Invalid configuration:\n  ${lines.join('\n  ')}`, lines);
  }
  const pluginEnv = Object.fromEntries(
    Object.entries(env).filter(
      (kv): kv is [string, string] => kv[0].startsWith(PLUGIN_ENV_PREFIX) && typeof kv[1] === 'string',
    ),
  );
  return { ...parsed.data, QUADMETER_DATA_DIR: resolve(parsed.data.QUADMETER_DATA_DIR), pluginEnv };
}
