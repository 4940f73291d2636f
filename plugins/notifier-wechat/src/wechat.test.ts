import { isAppError, type PluginContext } from '@quadmeter/sdk';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { WechatSandbox } from '../sandbox/index.ts';
import { WechatApiError, WechatTransportError } from './errors.ts';
import plugin from './index.ts';
import { clientMsgId } from './message.ts';
import {
  APP_ID,
  APP_SECRET,
  notice,
  OPENID,
  OTHER_OPENID,
  openWechat,
  sandboxOptions,
  TEMPLATE,
} from './test-support.ts';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});

async function open(...args: Parameters<typeof openWechat>) {
  const o = await openWechat(...args);
  opened.push(o);
  return o;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the send to fail');
}

describe('notifier-wechat against the sandbox', () => {
  it('sends a template message: openid, template id, {value} data in Chinese, our id as client_msg_id', async () => {
    const { sandbox, ctx } = await open();
    const r = await plugin.send(notice(), ctx);
    // msgid is above 2^53: kept digit for digit
    expect(r).toEqual({ duplicate: false, providerId: '3717005636572528642' });
    expect(sandbox.deliveries).toHaveLength(1);
    const d = sandbox.deliveries[0];
    expect(d).toMatchObject({
      appid: APP_ID,
      touser: OPENID,
      template_id: TEMPLATE,
      client_msg_id: 'n-0001',
    });
    expect(d.data).toEqual({
      thing1: { value: '1号楼 3单元 502' },
      amount2: { value: '9.87元' },
      time3: { value: '2026-11-30 08:00' },
    });
    expect(d.url).toBeUndefined();
    expect(d.miniprogram).toBeUndefined();
  });

  it('fetches one access_token for many sends and keeps it', async () => {
    const { sandbox, ctx } = await open();
    for (let i = 0; i < 5; i++) await plugin.send(notice({ id: `n-${i}` }), ctx);
    expect(sandbox.calls).toEqual({ token: 1, send: 5 });
    expect(sandbox.deliveries.map((d) => d.client_msg_id)).toEqual(['n-0', 'n-1', 'n-2', 'n-3', 'n-4']);
  });

  it('fetches one token for concurrent sends of different ids', async () => {
    const { sandbox, ctx } = await open();
    await Promise.all(Array.from({ length: 8 }, (_, i) => plugin.send(notice({ id: `c-${i}` }), ctx)));
    expect(sandbox.calls).toEqual({ token: 1, send: 8 });
    expect(new Set(sandbox.deliveries.map((d) => d.msgid)).size).toBe(8);
  });

  it('renews a token 5 minutes before it expires', async () => {
    const { sandbox, ctx } = await open(sandboxOptions({ tokenTtlSec: 300 }));
    await plugin.send(notice({ id: 'a' }), ctx);
    await plugin.send(notice({ id: 'b' }), ctx);
    expect(sandbox.calls).toEqual({ token: 2, send: 2 });
  });

  it('fetches a new token when a send says it expired (42001) and delivers once', async () => {
    const { sandbox, ctx } = await open();
    await plugin.send(notice({ id: 'a' }), ctx);
    sandbox.expireTokens();
    expect((await plugin.send(notice({ id: 'b' }), ctx)).duplicate).toBe(false);
    expect(sandbox.calls).toEqual({ token: 2, send: 3 });
    expect(sandbox.deliveries).toHaveLength(2);
  });

  it('fetches a new token when another fetcher replaced it (40001) and delivers once', async () => {
    const { sandbox, ctx } = await open();
    await plugin.send(notice({ id: 'a' }), ctx);
    sandbox.rotateTokens();
    await plugin.send(notice({ id: 'b' }), ctx);
    expect(sandbox.calls).toEqual({ token: 2, send: 3 });
    expect(sandbox.deliveries).toHaveLength(2);
  });

  it('refreshes only once: a token refused twice fails as retry', async () => {
    const { sandbox, ctx } = await open();
    sandbox.failNext({ errcode: 40001 }, 2);
    const e = await failure(plugin.send(notice(), ctx));
    expect(e).toBeInstanceOf(WechatApiError);
    expect(e).toMatchObject({ stage: 'send', errcode: 40001 });
    expect(plugin.classify(e)).toBe('retry');
    expect(sandbox.calls).toEqual({ token: 2, send: 2 });
    expect(sandbox.deliveries).toHaveLength(0);
  });

  it.each([
    [-1, 'retry'],
    [45009, 'retry'],
    [45011, 'retry'],
    [43117, 'retry'],
    [48001, 'drop'],
  ] as const)(
    'an injected errcode %i on send is %s, and a later send of the id delivers',
    async (code, disp) => {
      const { sandbox, ctx } = await open();
      sandbox.failNext({ errcode: code });
      const e = await failure(plugin.send(notice(), ctx));
      expect(e).toMatchObject({ name: 'WechatApiError', stage: 'send', errcode: code });
      expect(plugin.classify(e)).toBe(disp);
      expect(await plugin.send(notice(), ctx)).toMatchObject({ duplicate: false });
      expect(sandbox.deliveries).toHaveLength(1);
    },
  );

  it('drops what the platform refuses for the recipient or the template', async () => {
    const stranger = 'oUpF8uAAAAAAAAAAAAAAAAAAAAAA';
    const left = 'oUpF8uBBBBBBBBBBBBBBBBBBBBBB';
    const refusing = 'oUpF8uCCCCCCCCCCCCCCCCCCCCCC';
    const { sandbox, ctx } = await open(
      sandboxOptions({ unfollowed: [left], followers: [OPENID, refusing], refusing: [refusing] }),
    );
    const cases = [
      [notice({ id: '1', to: stranger }), 40003],
      [notice({ id: '2', to: left }), 43004],
      [notice({ id: '3', to: refusing }), 43101],
      [notice({ id: '4', template: 'UnknownTemplateId0000000000000000000000000' }), 40037],
    ] as const;
    for (const [m, code] of cases) {
      const e = await failure(plugin.send(m, ctx));
      expect(e, m.id).toMatchObject({ stage: 'send', errcode: code });
      expect(plugin.classify(e), m.id).toBe('drop');
    }
    sandbox.unfollow(OPENID);
    const e = await failure(plugin.send(notice({ id: '5' }), ctx));
    expect(e).toMatchObject({ errcode: 43004 });
    expect(sandbox.deliveries).toHaveLength(0);
  });

  it('drops a wrong AppSecret or AppID (token stage) and retries a busy token endpoint', async () => {
    const bad = await open(sandboxOptions(), { appSecret: 'wrong' });
    let e = await failure(plugin.send(notice(), bad.ctx));
    expect(e).toMatchObject({ stage: 'token', errcode: 40125 });
    expect(plugin.classify(e)).toBe('drop');
    const unknown = await open(sandboxOptions(), { appId: 'wx0000000000000000' });
    e = await failure(plugin.send(notice(), unknown.ctx));
    expect(e).toMatchObject({ stage: 'token', errcode: 40013 });
    expect(plugin.classify(e)).toBe('drop');
    const busy = await open();
    busy.sandbox.failNext({ errcode: -1 }, 1, 'token');
    e = await failure(plugin.send(notice(), busy.ctx));
    expect(e).toMatchObject({ stage: 'token', errcode: -1 });
    expect(plugin.classify(e)).toBe('retry');
    await plugin.send(notice(), busy.ctx);
    expect(busy.sandbox.deliveries).toHaveLength(1);
    expect(bad.sandbox.calls.send + unknown.sandbox.calls.send).toBe(0);
  });

  it('retries HTTP 5xx and an unreachable API; drops an API URL that answers 404', async () => {
    const { sandbox, ctx } = await open();
    sandbox.failNext({ status: 502 });
    let e = await failure(plugin.send(notice(), ctx));
    expect(e).toBeInstanceOf(WechatTransportError);
    expect(e).toMatchObject({ stage: 'send', status: 502 });
    expect(plugin.classify(e)).toBe('retry');

    const wrongPath = await open(sandboxOptions(), { apiUrl: `${sandbox.url}/nowhere` });
    e = await failure(plugin.send(notice(), wrongPath.ctx));
    expect(e).toMatchObject({ stage: 'token', status: 404 });
    expect(plugin.classify(e)).toBe('drop');

    const gone = await open();
    const url = gone.sandbox.url;
    await gone.sandbox.close();
    const down = await open(sandboxOptions(), { apiUrl: url });
    e = await failure(plugin.send(notice(), down.ctx));
    expect(e).toBeInstanceOf(WechatTransportError);
    expect((e as WechatTransportError).status).toBeUndefined();
    expect(plugin.classify(e)).toBe('retry');
  });

  it('gives up a hanging call when the plugin is stopped (its signal aborts), as retry', async () => {
    const sandbox = await WechatSandbox.start(sandboxOptions());
    opened.push(sandbox);
    const t = makeTestContext<unknown>({
      pluginId: plugin.id,
      config: {},
      tenantSettings: () => ({ appId: APP_ID, appSecret: APP_SECRET, apiUrl: sandbox.url }),
    });
    sandbox.failNext({ hangMs: 5_000 });
    const pending = failure(plugin.send(notice(), t.ctx));
    setTimeout(() => t.abort(), 100);
    const e = await pending;
    expect(e).toBeInstanceOf(WechatTransportError);
    expect(e).toMatchObject({ stage: 'send', status: undefined });
    expect(plugin.classify(e)).toBe('retry');
    expect(sandbox.deliveries).toHaveLength(0);
  });

  it('refuses malformed notices before calling WeChat', async () => {
    const { sandbox, ctx } = await open();
    const bad = [
      notice({ to: 'not an openid' }),
      notice({ to: '' }),
      notice({ template: undefined }),
      notice({ template: 'a b' }),
      notice({ data: {} }),
      notice({ data: undefined }),
      notice({ data: { thing1: 'a\u0000b' } }),
      notice({ data: { thing1: 'x'.repeat(201) } }),
      notice({ data: { '1bad': 'x' } }),
      notice({ data: { 'thing-1': 'x' } }),
      notice({ data: { thing1: 'x', _url: 'javascript:alert(1)' } }),
      notice({ data: { thing1: 1 as unknown as string } }),
      notice({ data: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) }),
    ];
    for (const m of bad) {
      const e = await failure(plugin.send(m, ctx));
      expect(isAppError(e) && e.code, JSON.stringify(m).slice(0, 200)).toBe('REQ_VALIDATION');
      expect(plugin.classify(e)).toBe('drop');
    }
    expect(sandbox.calls).toEqual({ token: 0, send: 0 });
  });

  it('drops a send for a tenant that has not configured WeChat', async () => {
    const { sandbox, ctx } = await open(sandboxOptions(), { appId: '' });
    const e = await failure(plugin.send(notice(), ctx));
    expect(isAppError(e) && e.code).toBe('PLUGIN_SETTINGS_INVALID');
    expect(plugin.classify(e)).toBe('drop');
    const { ctx: garbled } = makeTestContext<unknown>({
      pluginId: plugin.id,
      config: {},
      tenantSettings: () => ({ appId: 42 }),
    });
    const g = await failure(plugin.send(notice(), garbled));
    expect(isAppError(g) && g.code).toBe('PLUGIN_SETTINGS_INVALID');
    expect(sandbox.calls.token).toBe(0);
  });

  it('opens the tenant link, a per-notice _url, or the mini program page', async () => {
    const link = await open(sandboxOptions(), { linkUrl: 'https://pay.example.cn/bill' });
    await plugin.send(notice({ id: 'l1' }), link.ctx);
    await plugin.send(
      notice({ id: 'l2', data: { thing1: 'x', _url: 'https://pay.example.cn/b/42?x=1' } }),
      link.ctx,
    );
    expect(link.sandbox.deliveries.map((d) => d.url)).toEqual([
      'https://pay.example.cn/bill',
      'https://pay.example.cn/b/42?x=1',
    ]);
    expect(link.sandbox.deliveries[1].data).toEqual({ thing1: { value: 'x' } });

    const mp = await open(sandboxOptions(), {
      miniProgramAppId: 'wxminiapp00000001',
      miniProgramPagePath: 'pages/bill/index',
    });
    await plugin.send(notice({ id: 'm1' }), mp.ctx);
    await plugin.send(notice({ id: 'm2', data: { thing1: 'x', _pagepath: 'pages/pay/index?id=9' } }), mp.ctx);
    expect(mp.sandbox.deliveries.map((d) => d.miniprogram)).toEqual([
      { appid: 'wxminiapp00000001', pagepath: 'pages/bill/index' },
      { appid: 'wxminiapp00000001', pagepath: 'pages/pay/index?id=9' },
    ]);
  });

  it('two concurrent sends of one id deliver once', async () => {
    const { sandbox, ctx } = await open();
    const [a, b] = await Promise.all([plugin.send(notice(), ctx), plugin.send(notice(), ctx)]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.providerId).toBe(b.providerId);
    expect(sandbox.deliveries).toHaveLength(1);
  });

  it('after a restart (fresh plugin state) WeChat itself drops the repeat by client_msg_id', async () => {
    const { sandbox, ctx } = await open();
    const first = await plugin.send(notice(), ctx);
    const { ctx: restarted } = makeTestContext<unknown>({
      pluginId: plugin.id,
      config: {},
      tenantSettings: () => ({ appId: APP_ID, appSecret: APP_SECRET, apiUrl: sandbox.url }),
    });
    const again = await plugin.send(notice(), restarted);
    expect(again.providerId).toBe(first.providerId);
    expect(sandbox.deliveries).toHaveLength(1);
  });

  it('keeps message ids apart per tenant and per recipient', async () => {
    const other = '00000000-0000-4000-8000-000000000002';
    const sandbox = await WechatSandbox.start(
      sandboxOptions({ apps: { [APP_ID]: APP_SECRET, wx2222222222222222: 's2' } }),
    );
    opened.push(sandbox);
    const { ctx } = makeTestContext<unknown>({
      pluginId: plugin.id,
      config: {},
      enabledTenants: [TEST_TENANT_ID, other],
      tenantSettings: (t) =>
        t === other
          ? { appId: 'wx2222222222222222', appSecret: 's2', apiUrl: sandbox.url }
          : { appId: APP_ID, appSecret: APP_SECRET, apiUrl: sandbox.url },
    });
    await plugin.send(notice(), ctx as PluginContext<unknown>);
    const r = await plugin.send(notice({ tenantId: other }), ctx);
    expect(r.duplicate).toBe(false);
    expect(sandbox.deliveries.map((d) => d.appid)).toEqual([APP_ID, 'wx2222222222222222']);
    expect(sandbox.calls.token).toBe(2);
    await plugin.send(notice({ id: 'n-0002', to: OTHER_OPENID }), ctx);
    expect(sandbox.deliveries).toHaveLength(3);
  });

  it('sends long or unusual ids as their SHA-256', async () => {
    const id = `bill/2026-11/${'x'.repeat(80)}`;
    expect(clientMsgId(id)).toMatch(/^[0-9a-f]{64}$/);
    expect(clientMsgId('n-1')).toBe('n-1');
    const { sandbox, ctx } = await open();
    await plugin.send(notice({ id }), ctx);
    expect(sandbox.deliveries[0].client_msg_id).toBe(clientMsgId(id));
  });
});
