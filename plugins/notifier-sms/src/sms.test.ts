import { randomBytes } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';
import { makeTestContext } from '@quadmeter/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SmsSandbox, startSmsSandbox } from '../sandbox/gateway.ts';
import { classifySmsError } from './classify.ts';
import { SmsGatewayError, sendSms } from './client.ts';
import type { SmsConfig } from './config.ts';
import plugin from './index.ts';
import { sign } from './sign.ts';

const account = { appKey: 'qm-app', appSecret: 'sandbox-secret-1' };
let sandbox: SmsSandbox;
let cfg: SmsConfig;
let n = 0;
const msg = (to = '13800138000') => ({ id: `m-${++n}`, tenantId: 't', to, body: '余额不足' });

beforeAll(async () => {
  sandbox = await startSmsSandbox({ ...account, hangMs: 3_000 });
  cfg = { ...account, endpoint: sandbox.url, signName: '示范水务', timeoutMs: 400 };
});
afterAll(async () => sandbox?.close());

/** posts a hand-made request to the sandbox */
async function raw(body: string, headers: Record<string, string>) {
  const r = await fetch(sandbox.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: r.status, body: (await r.json()) as { code: string } };
}
const signed = (body: string, o: { ts?: string; nonce?: string; secret?: string } = {}) => {
  const ts = o.ts ?? String(Date.now());
  const nonce = o.nonce ?? randomBytes(16).toString('hex');
  return {
    'x-app-key': account.appKey,
    'x-timestamp': ts,
    'x-nonce': nonce,
    'x-signature': sign(o.secret ?? account.appSecret, account.appKey, ts, nonce, body),
  };
};

describe('the SMS sandbox gateway', () => {
  let before: number;
  beforeEach(() => {
    before = sandbox.deliveries();
  });
  const body = () =>
    JSON.stringify({ messageId: `raw-${++n}`, to: '13800138000', signName: 's', content: 'x' });

  it('delivers a correctly signed request once', async () => {
    const b = body();
    const r = await raw(b, signed(b));
    expect(r).toMatchObject({ status: 200, body: { code: 'OK', duplicate: false } });
    expect(sandbox.deliveries()).toBe(before + 1);
  });

  it('refuses a forged signature, a wrong secret and a tampered body, delivering nothing', async () => {
    const b = body();
    const h = signed(b);
    expect((await raw(b, { ...h, 'x-signature': '0'.repeat(64) })).body.code).toBe('SIGNATURE_INVALID');
    expect((await raw(b, signed(b, { secret: 'not-the-secret' }))).body.code).toBe('SIGNATURE_INVALID');
    expect((await raw(b.replace('13800138000', '13900139000'), h)).body.code).toBe('SIGNATURE_INVALID');
    expect((await raw(b, { ...h, 'x-app-key': 'other' })).status).toBe(401);
    expect(sandbox.deliveries()).toBe(before);
  });

  it('refuses a stale timestamp and a replayed nonce', async () => {
    const b = body();
    const stale = await raw(b, signed(b, { ts: String(Date.now() - 600_000) }));
    expect(stale).toMatchObject({ status: 401, body: { code: 'TIMESTAMP_STALE' } });
    const h = signed(b);
    expect((await raw(b, h)).status).toBe(200);
    const b2 = body();
    const replay = await raw(b2, signed(b2, { nonce: h['x-nonce'] }));
    expect(replay).toMatchObject({ status: 401, body: { code: 'NONCE_REPLAYED' } });
    expect(sandbox.deliveries()).toBe(before + 1);
  });
});

describe('sendSms against the sandbox', () => {
  it('answers the provider id and, for the same message id, duplicate with the same id', async () => {
    const m = msg();
    const first = await sendSms(cfg, m);
    const again = await sendSms(cfg, m);
    expect(first.duplicate).toBe(false);
    expect(first.providerId).toMatch(/^sbx-/);
    expect(again).toEqual({ providerId: first.providerId, duplicate: true });
    expect(sandbox.deliveries(m.id)).toBe(1);
    expect(sandbox.messages().find((x) => x.messageId === m.id)).toMatchObject({
      signName: '示范水务',
      to: m.to,
    });
  });

  it('fails transiently on a 503 and on a time-out, and those are retried', async () => {
    sandbox.failNext('503');
    const e1 = await sendSms(cfg, msg()).catch((e) => e);
    expect(e1).toBeInstanceOf(SmsGatewayError);
    expect(e1).toMatchObject({ code: 'BUSY', status: 503 });
    expect(classifySmsError(e1)).toBe('retry');
    sandbox.failNext('timeout');
    const e2 = await sendSms(cfg, msg()).catch((e) => e);
    expect(e2).toMatchObject({ code: 'SMS_TIMEOUT', status: 0 });
    expect(classifySmsError(e2)).toBe('retry');
  });

  it('fails permanently on a bad number, which is dropped', async () => {
    const m = msg('12345');
    const e = await sendSms(cfg, m).catch((x) => x);
    expect(e).toMatchObject({ code: 'BAD_NUMBER', status: 400 });
    expect(classifySmsError(e)).toBe('drop');
    expect(sandbox.deliveries(m.id)).toBe(0);
  });

  it('drops a request refused for its signature (a wrong secret never gets better)', async () => {
    const e = await sendSms({ ...cfg, appSecret: 'wrong-secret-9' }, msg()).catch((x) => x);
    expect(e).toMatchObject({ code: 'SIGNATURE_INVALID', status: 401 });
    expect(classifySmsError(e)).toBe('drop');
  });

  it('retries an unreachable gateway and an unconfigured account', async () => {
    const down = await sendSms({ ...cfg, endpoint: 'http://127.0.0.1:1/v1/sms/send' }, msg()).catch((x) => x);
    expect(down).toMatchObject({ code: 'SMS_UNREACHABLE' });
    expect(classifySmsError(down)).toBe('retry');
    const none = await sendSms({ timeoutMs: 1000 }, msg()).catch((x) => x);
    expect(none).toMatchObject({ code: 'SMS_NOT_CONFIGURED' });
    expect(classifySmsError(none)).toBe('retry');
    expect(classifySmsError(new AppError('REQ_VALIDATION'))).toBe('drop');
  });

  it('reports health by whether the account is configured', async () => {
    const ok = makeTestContext({ pluginId: plugin.id, config: cfg }).ctx;
    const bare = makeTestContext({ pluginId: plugin.id, config: { timeoutMs: 1000 } }).ctx;
    expect(await plugin.health?.(ok)).toEqual({ ok: true });
    expect((await plugin.health?.(bare))?.ok).toBe(false);
  });
});
