import type { NotifyMessage, PluginContext } from '@quadmeter/sdk';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { WechatSandbox, type WechatSandboxOptions } from '../sandbox/index.ts';
import plugin from './index.ts';
import type { WechatSettings } from './settings.ts';

export const APP_ID = 'wx8a1b2c3d4e5f6a7b';
export const APP_SECRET = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
export const TEMPLATE = 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY';
export const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
export const OTHER_OPENID = 'oUpF8uN95T3GJZc_XH2mbKo9Kd_I';

export function sandboxOptions(more: WechatSandboxOptions = {}): WechatSandboxOptions {
  return {
    apps: { [APP_ID]: APP_SECRET },
    templates: [TEMPLATE],
    followers: [OPENID, OTHER_OPENID],
    ...more,
  };
}

export function notice(more: Partial<NotifyMessage> = {}): NotifyMessage {
  return {
    id: 'n-0001',
    tenantId: TEST_TENANT_ID,
    to: OPENID,
    template: TEMPLATE,
    body: '您的账户余额不足 10.00 元，请及时缴费。',
    data: { thing1: '1号楼 3单元 502', amount2: '9.87元', time3: '2026-11-30 08:00' },
    locale: 'zh-CN',
    ...more,
  };
}

/** A sandbox and a plugin context whose tenant points at it. */
export async function openWechat(
  options: WechatSandboxOptions = sandboxOptions(),
  settings: Partial<WechatSettings> = {},
): Promise<{ sandbox: WechatSandbox; ctx: PluginContext<unknown>; close(): Promise<void> }> {
  const sandbox = await WechatSandbox.start(options);
  const { ctx } = makeTestContext<unknown>({
    pluginId: plugin.id,
    config: {},
    tenantSettings: () => ({ appId: APP_ID, appSecret: APP_SECRET, apiUrl: sandbox.url, ...settings }),
  });
  return { sandbox, ctx, close: () => sandbox.close() };
}
