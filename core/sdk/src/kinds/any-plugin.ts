import type { FieldIssue } from '../errors.ts';
import { type PluginKind, pluginHeaderSchema } from '../plugin/header.ts';
import { fieldIssues } from '../plugin/issues.ts';
import type { MeterTypePlugin } from './meter-type.ts';
import { meterTypeShapeSchema } from './meter-type-schema.ts';
import { type NotifierPlugin, notifierShapeSchema } from './notifier.ts';
import { type PaymentPlugin, paymentShapeSchema } from './payment.ts';
import { type TransportPlugin, transportShapeSchema } from './transport.ts';

// biome-ignore lint/suspicious/noExplicitAny: plugins of any config and settings types
type Any = any;

export type AnyPlugin =
  | MeterTypePlugin<Any, Any>
  | TransportPlugin<Any, Any>
  | PaymentPlugin<Any, Any>
  | NotifierPlugin<Any, Any>;

export type PluginOfKind<K extends PluginKind> = Extract<AnyPlugin, { kind: K }>;

const shapes = {
  'meter-type': meterTypeShapeSchema,
  transport: transportShapeSchema,
  payment: paymentShapeSchema,
  notifier: notifierShapeSchema,
} as const;

/** Every problem with a plugin definition: common header, then the kind's own fields. */
export function validatePlugin(plugin: unknown): FieldIssue[] {
  if (typeof plugin !== 'object' || plugin === null)
    return [{ path: '(root)', message: 'must be an object' }];
  const header = pluginHeaderSchema.safeParse(plugin);
  const issues = header.success ? [] : fieldIssues(header.error);
  const kind = (plugin as { kind?: unknown }).kind;
  if (typeof kind === 'string' && kind in shapes) {
    const shape = shapes[kind as PluginKind].safeParse(plugin);
    if (!shape.success) issues.push(...fieldIssues(shape.error));
  }
  return issues;
}
