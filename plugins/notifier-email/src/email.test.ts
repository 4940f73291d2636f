import { isAppError } from '@quadmeter/sdk';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import plugin from './index.ts';
import { FROM, notice, openEmail } from './test-support.ts';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});

async function open(...args: Parameters<typeof openEmail>) {
  const o = await openEmail(...args);
  opened.push(o);
  return o;
}

async function failure(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Record<string, unknown>;
  }
  throw new Error('expected the send to fail');
}

describe('notifier-email against a local SMTP sink', () => {
  it('delivers Chinese subject, sender name and body intact, with a Message-ID from our id', async () => {
    const { sink, ctx } = await open();
    const r = await plugin.send(notice(), ctx);
    const messageId = `<n-0001.${TEST_TENANT_ID}@water.example.cn>`;
    expect(r).toEqual({ duplicate: false, providerId: messageId });
    expect(sink.mails).toHaveLength(1);
    const m = sink.mails[0];
    expect(m.from).toBe(FROM);
    expect(m.to).toEqual(['zhang.san@example.cn']);
    const raw = m.raw.toString('latin1');
    // headers are 7-bit: the subject travels as RFC 2047 UTF-8 encoded words, the body as base64
    expect(raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expect(raw).toMatch(/^Content-Type: text\/plain; charset=utf-8/m);
    expect(raw).toMatch(/^Content-Transfer-Encoding: base64/m);
    expect(raw).toContain(`Message-ID: ${messageId}`);
    expect(/[\u0080-\uffff]/.test(raw)).toBe(false);
    const parsed = await simpleParser(m.raw);
    expect(parsed.subject).toBe('【余额提醒】您的水费账户余额不足');
    expect(parsed.text).toBe(notice().body);
    expect(parsed.messageId).toBe(messageId);
    expect(parsed.from?.value).toEqual([{ address: FROM, name: '城东水务' }]);
  });

  it('sends one id once, also when two sends of it race', async () => {
    const { sink, ctx } = await open();
    const [a, b] = await Promise.all([plugin.send(notice(), ctx), plugin.send(notice(), ctx)]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(await plugin.send(notice(), ctx)).toMatchObject({ duplicate: true, providerId: a.providerId });
    await plugin.send(notice({ id: 'n-0002' }), ctx);
    expect(sink.mails).toHaveLength(2);
  });

  it.each([
    ['connect', 421, 'retry'],
    ['mail', 451, 'retry'],
    ['rcpt', 450, 'retry'],
    ['rcpt', 451, 'retry'],
    ['rcpt', 452, 'retry'],
    ['data', 452, 'retry'],
    ['rcpt', 550, 'drop'],
    ['rcpt', 553, 'drop'],
    ['data', 554, 'drop'],
    ['mail', 550, 'drop'],
  ] as const)('a %s answered %i is %s; a later send of the id delivers once', async (stage, code, want) => {
    const { sink, ctx } = await open();
    sink.reject(stage, code);
    const e = await failure(plugin.send(notice(), ctx));
    expect(e.responseCode).toBe(code);
    expect(plugin.classify(e)).toBe(want);
    expect(sink.mails).toHaveLength(0);
    expect((await plugin.send(notice(), ctx)).duplicate).toBe(false);
    expect(sink.mails).toHaveLength(1);
  });

  it('logs in with the configured credentials; a wrong password is dropped (535)', async () => {
    const auth = { user: 'notice', pass: 's3cret-密码' };
    const ok = await open({ auth }, { user: 'notice', password: 's3cret-密码' });
    await plugin.send(notice(), ok.ctx);
    expect(ok.sink.mails).toHaveLength(1);
    const bad = await open({ auth }, { user: 'notice', password: 'wrong' });
    const e = await failure(plugin.send(notice(), bad.ctx));
    expect(e).toMatchObject({ code: 'EAUTH', responseCode: 535 });
    expect(plugin.classify(e)).toBe('drop');
    expect(bad.sink.mails).toHaveLength(0);
  });

  it('upgrades with STARTTLS; an untrusted certificate is dropped unless allowed', async () => {
    const auth = { user: 'notice', pass: 'pw' };
    const trusted = await open(
      { auth, starttls: true },
      { security: 'starttls', allowSelfSigned: true, user: 'notice', password: 'pw' },
    );
    await plugin.send(notice(), trusted.ctx);
    expect(trusted.sink.mails).toHaveLength(1);
    const strict = await open(
      { auth, starttls: true },
      { security: 'starttls', user: 'notice', password: 'pw' },
    );
    const e = await failure(plugin.send(notice(), strict.ctx));
    // smtp-server's built-in certificate is self-signed (and, in the version pinned, expired)
    expect(e.code).toBe('ESOCKET');
    expect(String(e.originalCode)).toMatch(/CERT|SELF_SIGNED/);
    expect(plugin.classify(e)).toBe('drop');
    expect(strict.sink.mails).toHaveLength(0);
    // a server without STARTTLS while the tenant requires it: nothing goes out in clear text
    const plain = await open({}, { security: 'starttls' });
    const e2 = await failure(plugin.send(notice(), plain.ctx));
    expect(plain.sink.mails).toHaveLength(0);
    expect(e2).toMatchObject({ code: 'ETLS', responseCode: 500 });
    expect(plugin.classify(e2)).toBe('drop');
  });

  it('sends over implicit TLS', async () => {
    const { sink, ctx } = await open({ secure: true }, { security: 'tls', allowSelfSigned: true });
    await plugin.send(notice(), ctx);
    expect(sink.mails).toHaveLength(1);
  });

  it('retries when the server cannot be reached', async () => {
    const gone = await open();
    const port = gone.sink.port;
    await gone.sink.close();
    const { ctx } = await open({}, { port });
    const e = await failure(plugin.send(notice(), ctx));
    expect(e.code).toBe('ESOCKET');
    expect(e.originalCode ?? (e.cause as { code?: string })?.code).toBe('ECONNREFUSED');
    expect(plugin.classify(e)).toBe('retry');
  });

  it('refuses malformed notices before connecting', async () => {
    const { sink, ctx } = await open();
    const bad = [
      notice({ to: '' }),
      notice({ to: 'a@example.cn,b@example.cn' }),
      notice({ to: '张三 <zhang@example.cn>' }),
      notice({ to: 'zhang@localhost' }),
      notice({ to: 'zhang@example.cn\r\nBcc: x@evil.cn' }),
      notice({ to: `${'a'.repeat(65)}@example.cn` }),
      notice({ body: '' }),
      notice({ body: 'a\u0000b' }),
      notice({ body: 'x'.repeat(200_001) }),
      notice({ subject: 'a\u0000' }),
    ];
    for (const m of bad) {
      const e = await failure(plugin.send(m, ctx));
      expect(isAppError(e) && e.code, JSON.stringify(m).slice(0, 120)).toBe('REQ_VALIDATION');
      expect(plugin.classify(e)).toBe('drop');
    }
    expect(sink.counts.connections).toBe(0);
  });

  it('keeps a subject to one line: no header can be smuggled in', async () => {
    const { sink, ctx } = await open();
    await plugin.send(notice({ subject: '缴费提醒\r\nBcc: evil@example.cn\r\n\r\nbody' }), ctx);
    expect(sink.mails[0].to).toEqual(['zhang.san@example.cn']);
    const parsed = await simpleParser(sink.mails[0].raw);
    expect(parsed.subject).toBe('缴费提醒 Bcc: evil@example.cn body');
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headers.has('bcc')).toBe(false);
  });

  it('accepts an internationalised domain and a UTF-8 local part', async () => {
    const { sink, ctx } = await open();
    await plugin.send(notice({ id: 'i1', to: '张三@例子.中国' }), ctx);
    await plugin.send(notice({ id: 'i2', to: 'li.si@水务.cn' }), ctx);
    // the sink offers SMTPUTF8, so the envelope keeps the addresses as written
    expect(sink.mails.map((m) => m.to[0])).toEqual(['张三@例子.中国', 'li.si@水务.cn']);
    const e = await failure(plugin.send(notice({ id: 'i3', to: 'a@例子..中国' }), ctx));
    expect(isAppError(e) && e.code).toBe('REQ_VALIDATION');
  });

  it('takes the first line of the body as subject when none is given', async () => {
    const { sink, ctx } = await open();
    await plugin.send(notice({ subject: undefined }), ctx);
    expect((await simpleParser(sink.mails[0].raw)).subject).toBe('尊敬的张三：');
  });

  it('gives two tenants’ equal ids different Message-IDs and sends both', async () => {
    const { sink, ctx } = await open();
    const other = '00000000-0000-4000-8000-000000000002';
    const a = await plugin.send(notice(), ctx);
    const b = await plugin.send(notice({ tenantId: other }), ctx);
    expect(b.duplicate).toBe(false);
    expect(a.providerId).not.toBe(b.providerId);
    expect(sink.mails).toHaveLength(2);
  });

  it('uses the SHA-256 of an unusual id in the Message-ID', async () => {
    const { sink, ctx } = await open();
    await plugin.send(notice({ id: 'bill/2026-11/0101 <x>' }), ctx);
    const parsed = await simpleParser(sink.mails[0].raw);
    expect(parsed.messageId).toMatch(new RegExp(`^<[0-9a-f]{64}\\.${TEST_TENANT_ID}@water\\.example\\.cn>$`));
  });

  it('drops a send for a tenant without e-mail settings', async () => {
    const { ctx } = makeTestContext<unknown>({ pluginId: plugin.id, config: {} });
    const e = await failure(plugin.send(notice(), ctx));
    expect(isAppError(e) && e.code).toBe('PLUGIN_SETTINGS_INVALID');
    expect(plugin.classify(e)).toBe('drop');
    const { ctx: garbled } = makeTestContext<unknown>({
      pluginId: plugin.id,
      config: {},
      tenantSettings: () => ({ host: 'smtp.example.cn', port: 'x', from: FROM }),
    });
    const g = await failure(plugin.send(notice(), garbled));
    expect(isAppError(g) && g.code).toBe('PLUGIN_SETTINGS_INVALID');
  });
});
