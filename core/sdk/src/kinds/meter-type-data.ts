import { z } from 'zod';
import { AppError } from '../errors.ts';
import { protocolStatus } from '../meter/bit-table-status.ts';
import { readingIssues } from '../meter/checks.ts';
import { bitTableProblems } from '../meter/status-bits.ts';
import { cumulativeUsage } from '../meter/usage.ts';
import { SDK_API_VERSION } from '../plugin/api-version.ts';
import { PLUGIN_ID_PATTERN } from '../plugin/header.ts';
import { fieldIssues } from '../plugin/issues.ts';
import { localizedTextSchema } from '../plugin/localized.ts';
import { anomalyRuleSchema } from './anomaly-rule.ts';
import { validatePlugin } from './any-plugin.ts';
import { defineMeterType, type MeterTypePlugin } from './meter-type.ts';
import { displayUnitSchema, registerDefSchema } from './meter-type-schema.ts';

const registerKey = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'must be camelCase');
const fieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a decoded field name such as current_heat');

/** One field of a status word: a flag (`mask`) or a state of `values` read from bit `shift`. */
const bitFieldSchema = z.union([
  z.object({ key: registerKey, title: localizedTextSchema, mask: z.number().int().min(1).max(0xffff_ffff) }),
  z.object({
    key: registerKey,
    title: localizedTextSchema,
    shift: z.number().int().min(0).max(31),
    values: z.array(z.string().min(1)).min(2).max(256),
  }),
]);

/** A byte given as 0–255 or as hex text such as "0x21". */
const byteSchema = z.union([
  z.number().int().min(0).max(255),
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{1,2}$/, 'must be a byte such as "0x21"')
    .transform((s) => Number.parseInt(s, 16)),
]);

/** Which decoded field of each protocol fills which register. */
const protocolsSchema = z.strictObject({
  /** CJ/T 188: the meter type byte T and the 901F reply fields (as the codec names them) */
  cjt188: z
    .strictObject({
      meterType: byteSchema,
      fields: z.record(registerKey, fieldName),
    })
    .optional(),
  /** DL/T 645-2007: data identifiers (8 hex digits) → register */
  dlt645: z
    .strictObject({
      dataIds: z.record(z.string().regex(/^[0-9A-F]{8}$/, 'must be a DI of 8 hex digits'), registerKey),
    })
    .optional(),
});

/** A meter type written as data: what `meterTypeFromData` turns into a meter-type plugin. */
export const meterTypeDataSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: z
      .string()
      .regex(PLUGIN_ID_PATTERN, 'must be `meter-<name>` in kebab case')
      .regex(/^meter-/, 'a meter type id starts with meter-'),
    version: z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'must be a semantic version'),
    apiVersion: z.number().int().min(1).default(SDK_API_VERSION),
    title: localizedTextSchema,
    medium: z.enum(['water', 'electricity', 'gas', 'heat']),
    registers: z.array(registerDefSchema).min(1).max(64),
    /** per register: the most a cumulative counter may plausibly grow in a day */
    limits: z.strictObject({ maxPerDay: z.record(registerKey, z.number().positive()).default({}) }).default({
      maxPerDay: {},
    }),
    /** protocol (codec name) → status-word table; the first is the default */
    statusTables: z.record(z.string().regex(/^[a-z0-9]+$/), z.array(bitFieldSchema).max(32)),
    protocols: protocolsSchema.default({}),
    defaultAnomalyRules: z.array(anomalyRuleSchema).default([]),
    displayUnits: z.array(displayUnitSchema).default([]),
  })
  .superRefine((d, ctx) => {
    const keys = new Set(d.registers.map((r) => r.key));
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    if (Object.keys(d.statusTables).length === 0)
      issue(['statusTables'], 'needs at least one protocol table');
    for (const [protocol, table] of Object.entries(d.statusTables))
      for (const p of bitTableProblems(table)) issue(['statusTables', protocol], p);
    for (const key of Object.keys(d.limits.maxPerDay))
      if (!d.registers.some((r) => r.key === key && r.kind === 'cumulative'))
        issue(['limits', 'maxPerDay', key], 'names no cumulative register');
    for (const key of Object.keys(d.protocols.cjt188?.fields ?? {}))
      if (!keys.has(key)) issue(['protocols', 'cjt188', 'fields', key], 'names no register');
    for (const [di, key] of Object.entries(d.protocols.dlt645?.dataIds ?? {}))
      if (!keys.has(key)) issue(['protocols', 'dlt645', 'dataIds', di], `names no register '${key}'`);
  });

export type MeterTypeData = z.input<typeof meterTypeDataSchema>;
export type MeterTypeProtocols = z.output<typeof protocolsSchema>;

/** A meter-type plugin built from data, carrying its protocol mapping. */
export type DataMeterType = MeterTypePlugin & { protocols: MeterTypeProtocols };

/** The published JSON Schema of a data-defined meter type (core/sdk/schema/meter-type.schema.json). */
export function meterTypeJsonSchema(): Record<string, unknown> {
  return {
    ...(z.toJSONSchema(meterTypeDataSchema, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >),
    $id: 'https://quadmeter.dev/schema/meter-type.schema.json',
    title: 'Quadmeter data-defined meter type',
  };
}

/**
 * Turns a meter type written as data (JSON or YAML parsed by the caller) into a meter-type
 * plugin: the shared reading checks with the data's limits, usage over its cumulative registers
 * across rollover and replacement, and status words decoded by its tables. Bad data throws
 * METER_TYPE_DATA_INVALID listing each field.
 */
export function meterTypeFromData(data: unknown): DataMeterType {
  const parsed = meterTypeDataSchema.safeParse(data);
  if (!parsed.success) {
    const fields = fieldIssues(parsed.error);
    throw new AppError(
      'METER_TYPE_DATA_INVALID',
      `The meter type data is invalid: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
      fields,
    );
  }
  const d = parsed.data;
  const plugin = defineMeterType({
    kind: 'meter-type',
    id: d.id,
    version: d.version,
    apiVersion: d.apiVersion,
    title: d.title,
    medium: d.medium,
    registers: d.registers,
    ...protocolStatus(d.statusTables),
    validate: (prev, next) => readingIssues(d.registers, prev, next, { maxPerDay: d.limits.maxPerDay }),
    usage: (prev, next, options) =>
      cumulativeUsage(d.registers, prev, next, { replacement: options?.replacement }),
    defaultAnomalyRules: d.defaultAnomalyRules,
    displayUnits: d.displayUnits,
  });
  const out: DataMeterType = { ...plugin, protocols: d.protocols };
  const problems = validatePlugin(out);
  if (problems.length > 0)
    throw new AppError(
      'METER_TYPE_DATA_INVALID',
      `The meter type data is invalid: ${problems.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
      problems,
    );
  return out;
}

/**
 * The registers a decoded CJ/T 188 reply fills, by the meter type's mapping: each mapped field
 * that holds a finite number, rounded to the register's decimals. Fields the reply lacks are left
 * out; a reply of another meter type (T) fills nothing.
 */
export function cjt188Registers(
  plugin: DataMeterType,
  reply: { meterType: number; data: Readonly<Record<string, unknown>> },
): Record<string, number> {
  const mapping = plugin.protocols.cjt188;
  if (!mapping || mapping.meterType !== reply.meterType) return {};
  const out: Record<string, number> = {};
  for (const [key, field] of Object.entries(mapping.fields)) {
    const v = reply.data[field];
    const r = plugin.registers.find((x) => x.key === key);
    if (typeof v === 'number' && Number.isFinite(v) && r) out[key] = Number(v.toFixed(r.decimals));
  }
  return out;
}
