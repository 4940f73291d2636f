import type { NotifyMessage, PluginContext } from '@quadmeter/sdk';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import plugin from './index.ts';
import type { EmailSettings } from './settings.ts';
import { type SinkOptions, SmtpSink } from './test-sink.ts';

export const FROM = 'notice@water.example.cn';

export function notice(more: Partial<NotifyMessage> = {}): NotifyMessage {
  return {
    id: 'n-0001',
    tenantId: TEST_TENANT_ID,
    to: 'zhang.san@example.cn',
    subject: '【余额提醒】您的水费账户余额不足',
    body: '尊敬的张三：\n您的账户（户号 0101-0203）余额为 9.87 元，已低于提醒金额 10.00 元，请及时缴费。\n.以点开头的一行\n',
    locale: 'zh-CN',
    ...more,
  };
}

/** A sink and a plugin context whose tenant sends through it. */
export async function openEmail(
  sinkOptions: SinkOptions = {},
  settings: Partial<EmailSettings> = {},
): Promise<{ sink: SmtpSink; ctx: PluginContext<unknown>; close(): Promise<void> }> {
  const sink = await SmtpSink.start(sinkOptions);
  const { ctx } = makeTestContext<unknown>({
    pluginId: plugin.id,
    config: {},
    tenantSettings: () => ({
      host: '127.0.0.1',
      port: sink.port,
      security: 'none',
      from: FROM,
      fromName: '城东水务',
      ...settings,
    }),
  });
  return {
    sink,
    ctx,
    close: async () => {
      await plugin.stop?.(ctx);
      await sink.close();
    },
  };
}
