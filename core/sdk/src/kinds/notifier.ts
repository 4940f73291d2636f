import { z } from 'zod';
import type { PluginContext } from '../plugin/context.ts';
import { fnSchema, type PluginHeader } from '../plugin/header.ts';

export interface NotifyMessage {
  /** stable id; sending the same id twice delivers once */
  id: string;
  tenantId: string;
  /** phone number, openid, e-mail address … as the channel needs */
  to: string;
  /** provider template id (SMS, WeChat template messages) */
  template?: string;
  subject?: string;
  /** rendered text */
  body: string;
  /** template variables, for channels that fill templates themselves */
  data?: Readonly<Record<string, string>>;
  locale?: 'zh-CN' | 'en';
}

export interface SendResult {
  /** the provider's message id */
  providerId?: string;
  /** true when this id had been sent before and nothing new went out */
  duplicate: boolean;
}

export type Disposition = 'retry' | 'drop';

export interface NotifierPlugin<C = unknown, S = unknown> extends PluginHeader<C, S> {
  kind: 'notifier';
  /** 'sms', 'wechat', 'email', … */
  channel: string;
  send(message: NotifyMessage, ctx: PluginContext<C>): Promise<SendResult>;
  /** whether a failure of `send` is worth retrying */
  classify(error: unknown): Disposition;
}

/** Identity helper: gives a notifier definition its types. */
export function defineNotifier<C = unknown, S = unknown>(plugin: NotifierPlugin<C, S>): NotifierPlugin<C, S> {
  return plugin;
}

export const notifierShapeSchema = z.looseObject({
  kind: z.literal('notifier'),
  channel: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab case'),
  send: fnSchema,
  classify: fnSchema,
});
