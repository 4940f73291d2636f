import type { Template } from './template.ts';

/** A notifier: sending in send.ts (one delivery per message id), failure classes, the contract. */
export const notifierTemplate: Template = ({ id, name, title }) => ({
  'src/index.ts': `import { defineNotifier } from '@quadmeter/sdk';
import { classify, send } from './send.ts';

export default defineNotifier({
  kind: 'notifier',
  id: '${id}',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '${title}', en: '${title}' },
  channel: '${name}',
  send,
  classify,
});
`,
  'src/send.ts': `import type { Disposition, NotifyMessage, PluginContext, SendResult } from '@quadmeter/sdk';

/** Ids already delivered by this process: the same id twice goes out once. */
const sent = new Map<string, string>();
/** What went out, for the contract test's harness; replace with your provider's API call. */
export const outbox: NotifyMessage[] = [];

export async function send(message: NotifyMessage, ctx: PluginContext<unknown>): Promise<SendResult> {
  const earlier = sent.get(message.id);
  if (earlier) return { providerId: earlier, duplicate: true };
  ctx.logger.info({ to: message.to }, 'sending');
  outbox.push(message);
  const providerId = \`${name}-\${outbox.length}\`;
  sent.set(message.id, providerId);
  return { providerId, duplicate: false };
}

/** Network trouble and provider 5xx are worth a retry; everything else is dropped. */
export function classify(error: unknown): Disposition {
  const e = error as { code?: unknown; status?: unknown } | null;
  if (typeof e?.status === 'number') return e.status >= 500 || e.status === 429 ? 'retry' : 'drop';
  if (typeof e?.code === 'string' && /^(E[A-Z]+|SERVICE_UNAVAILABLE)$/.test(e.code)) return 'retry';
  return 'drop';
}
`,
  'fixtures/message.json': `${JSON.stringify(
    { id: 'msg-1', tenantId: '00000000-0000-4000-8000-000000000001', to: 'someone', body: '水费已缴清' },
    null,
    2,
  )}\n`,
  'src/contract.test.ts': `import { describeNotifierContract, makeTestContext } from '@quadmeter/sdk/testing';
import message from '../fixtures/message.json' with { type: 'json' };
import plugin from './index.ts';
import { outbox } from './send.ts';

describeNotifierContract(plugin, {
  harness: {
    message,
    async open() {
      const { ctx } = makeTestContext({ pluginId: plugin.id, config: {} });
      const before = outbox.length;
      return { ctx, deliveries: () => outbox.length - before, close: async () => {} };
    },
  },
});
`,
});
