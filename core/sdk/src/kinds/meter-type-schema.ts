import { z } from 'zod';
import { fnSchema } from '../plugin/header.ts';
import { localizedTextSchema } from '../plugin/localized.ts';
import { anomalyRuleSchema } from './anomaly-rule.ts';

const registerKey = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'must be camelCase');

export const registerDefSchema = z
  .object({
    key: registerKey,
    title: localizedTextSchema,
    unit: z.string().max(16),
    decimals: z.number().int().min(0).max(6),
    rolloverMax: z.number().positive().optional(),
    billable: z.boolean(),
    kind: z.enum(['cumulative', 'instant', 'state']),
    states: z.array(z.string().min(1)).min(1).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .superRefine((r, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (r.kind === 'state' && !r.states) issue('states', 'a state register lists its states');
    if (r.kind !== 'state' && r.states) issue('states', 'only state registers have states');
    if (r.kind !== 'cumulative' && r.rolloverMax !== undefined)
      issue('rolloverMax', 'only cumulative registers wrap');
    if (r.kind !== 'cumulative' && r.billable) issue('billable', 'only cumulative registers are billable');
    if (r.rolloverMax !== undefined) {
      const units = r.rolloverMax * 10 ** r.decimals;
      if (Math.abs(units - Math.round(units)) > 1e-6 || !Number.isSafeInteger(Math.round(units))) {
        issue('rolloverMax', 'must be representable with the register decimals');
      }
    }
    if (r.min !== undefined && r.max !== undefined && r.min > r.max) issue('min', 'must not exceed max');
  });

export const statusFieldDefSchema = z.object({
  key: registerKey,
  title: localizedTextSchema,
  values: z.array(z.string().min(1)).min(1).optional(),
});

export const displayUnitSchema = z.object({
  register: registerKey,
  unit: z.string().min(1).max(16),
  title: localizedTextSchema,
  factor: z.number().positive(),
  decimals: z.number().int().min(0).max(6),
});

function duplicates(keys: readonly string[]): string[] {
  return keys.filter((k, i) => keys.indexOf(k) !== i);
}

/** Kind-specific fields of a meter-type plugin, with cross-references checked. */
export const meterTypeShapeSchema = z
  .looseObject({
    kind: z.literal('meter-type'),
    medium: z.enum(['water', 'electricity', 'gas', 'heat']),
    registers: z.array(registerDefSchema).min(1),
    statusFields: z.array(statusFieldDefSchema),
    validate: fnSchema,
    usage: fnSchema,
    statusProtocols: z.array(z.string().min(1).max(32)).min(1),
    decodeStatus: fnSchema,
    defaultAnomalyRules: z.array(anomalyRuleSchema),
    displayUnits: z.array(displayUnitSchema),
  })
  .superRefine((p, ctx) => {
    const keys = p.registers.map((r) => r.key);
    for (const d of duplicates(keys)) {
      ctx.addIssue({ code: 'custom', path: ['registers'], message: `register '${d}' is declared twice` });
    }
    const fields = p.statusFields.map((f) => f.key);
    for (const d of duplicates(fields)) {
      ctx.addIssue({
        code: 'custom',
        path: ['statusFields'],
        message: `status field '${d}' is declared twice`,
      });
    }
    if (!p.registers.some((r) => r.billable)) {
      ctx.addIssue({
        code: 'custom',
        path: ['registers'],
        message: 'at least one register must be billable',
      });
    }
    p.defaultAnomalyRules.forEach((rule, i) => {
      const path = ['defaultAnomalyRules', i];
      if (rule.type === 'status') {
        if (!fields.includes(rule.field)) {
          ctx.addIssue({ code: 'custom', path, message: `unknown status field '${rule.field}'` });
        }
      } else if (!keys.includes(rule.register)) {
        ctx.addIssue({ code: 'custom', path, message: `unknown register '${rule.register}'` });
      }
    });
    const ruleIds = p.defaultAnomalyRules.map((r) => r.id);
    for (const d of duplicates(ruleIds)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultAnomalyRules'],
        message: `rule '${d}' is declared twice`,
      });
    }
    p.displayUnits.forEach((u, i) => {
      if (!keys.includes(u.register)) {
        ctx.addIssue({
          code: 'custom',
          path: ['displayUnits', i],
          message: `unknown register '${u.register}'`,
        });
      }
    });
  });
