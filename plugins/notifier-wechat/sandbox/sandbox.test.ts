import { afterEach, describe, expect, it } from 'vitest';
import { WechatSandbox } from './index.ts';

const APP = 'wx1111111111111111';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const TPL = 'tpl-1';
let clock = 1_780_000_000_000;
let sandbox: WechatSandbox;

afterEach(async () => {
  await sandbox?.close();
});

async function start(more = {}) {
  clock = 1_780_000_000_000;
  sandbox = await WechatSandbox.start({
    apps: { [APP]: 'sec' },
    templates: [TPL],
    followers: [OPENID],
    now: () => clock,
    ...more,
  });
  return sandbox;
}

async function get(path: string) {
  return (await fetch(`${sandbox.url}${path}`)).json() as Promise<Record<string, unknown>>;
}

async function token(): Promise<string> {
  const r = await get(`/cgi-bin/token?grant_type=client_credential&appid=${APP}&secret=sec`);
  return String(r.access_token);
}

async function send(tok: string | null, body: unknown) {
  const q = tok === null ? '' : `?access_token=${encodeURIComponent(tok)}`;
  const res = await fetch(`${sandbox.url}/cgi-bin/message/template/send${q}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

const body = (more = {}) => ({ touser: OPENID, template_id: TPL, data: { a: { value: '余额' } }, ...more });
const code = (text: string) => (JSON.parse(text) as { errcode: number }).errcode;

describe('WeChat sandbox', () => {
  it('answers token errors by errcode, with a rid suffix in errmsg', async () => {
    await start();
    expect(await get(`/cgi-bin/token?grant_type=x&appid=${APP}&secret=sec`)).toMatchObject({
      errcode: 40002,
    });
    expect(await get('/cgi-bin/token?grant_type=client_credential&secret=sec')).toMatchObject({
      errcode: 41002,
    });
    expect(await get(`/cgi-bin/token?grant_type=client_credential&appid=${APP}`)).toMatchObject({
      errcode: 41004,
    });
    expect(await get('/cgi-bin/token?grant_type=client_credential&appid=wxnope&secret=sec')).toMatchObject({
      errcode: 40013,
    });
    const wrong = await get(`/cgi-bin/token?grant_type=client_credential&appid=${APP}&secret=bad`);
    expect(wrong.errcode).toBe(40125);
    expect(String(wrong.errmsg)).toMatch(/^invalid appsecret rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    const ok = await get(`/cgi-bin/token?grant_type=client_credential&appid=${APP}&secret=sec`);
    expect(ok.expires_in).toBe(7200);
    expect(String(ok.access_token)).toHaveLength(136);
  });

  it('expires tokens after their lifetime and keeps a replaced one 5 minutes', async () => {
    await start();
    const t1 = await token();
    expect(code((await send(t1, body())).text)).toBe(0);
    clock += 60_000;
    const t2 = await token();
    clock += 299_000;
    expect(code((await send(t1, body())).text)).toBe(0);
    clock += 2_000;
    expect(code((await send(t1, body())).text)).toBe(40001);
    expect(code((await send(t2, body())).text)).toBe(0);
    clock += 7_200_000;
    expect(code((await send(t2, body())).text)).toBe(42001);
    expect(code((await send('made-up', body())).text)).toBe(40001);
    expect(code((await send(null, body())).text)).toBe(41001);
    expect(sandbox.deliveries).toHaveLength(3);
  });

  it('validates the body and counts a daily quota', async () => {
    await start({ dailyQuota: 2 });
    const t = await token();
    expect(code((await send(t, '')).text)).toBe(44002);
    expect(code((await send(t, '{oops')).text)).toBe(47001);
    expect(code((await send(t, '[1]')).text)).toBe(47001);
    expect(code((await send(t, body({ template_id: 'x'.repeat(65) }))).text)).toBe(40036);
    expect(code((await send(t, body({ template_id: 'nope' }))).text)).toBe(40037);
    expect(code((await send(t, body({ touser: 'short' }))).text)).toBe(40003);
    expect(code((await send(t, body({ data: { a: { value: 1 } } }))).text)).toBe(47003);
    expect(code((await send(t, body({ data: 'x' }))).text)).toBe(47003);
    expect(sandbox.deliveries).toHaveLength(0);
    expect(code((await send(t, body())).text)).toBe(0);
    expect(code((await send(t, body())).text)).toBe(0);
    expect(code((await send(t, body())).text)).toBe(45009);
    clock += 86_400_000;
    const t2 = await token();
    expect(code((await send(t2, body())).text)).toBe(0);
  });

  it('writes msgid as a bare 64-bit number and answers a repeated client_msg_id with the first msgid', async () => {
    await start();
    const t = await token();
    const a = await send(t, body({ client_msg_id: 'm1' }));
    expect(a.text).toBe('{"errcode":0,"errmsg":"ok","msgid":3717005636572528642}');
    const b = await send(t, body({ client_msg_id: 'm1' }));
    expect(b.text).toBe(a.text);
    await send(t, body({ client_msg_id: 'm2' }));
    expect(sandbox.deliveries.map((d) => d.msgid)).toEqual(['3717005636572528642', '3717005636572528643']);
  });

  it('fails on instruction: errcodes and HTTP statuses, in order, per stage', async () => {
    await start();
    sandbox.failNext({ errcode: 45009 }, 1, 'token');
    sandbox.failNext({ errcode: -1 }, 2);
    sandbox.failNext({ status: 503 });
    expect(await get(`/cgi-bin/token?grant_type=client_credential&appid=${APP}&secret=sec`)).toMatchObject({
      errcode: 45009,
    });
    const t = await token();
    expect(code((await send(t, body())).text)).toBe(-1);
    expect(code((await send(t, body())).text)).toBe(-1);
    expect((await send(t, body())).status).toBe(503);
    expect(code((await send(t, body())).text)).toBe(0);
    expect(sandbox.calls).toEqual({ token: 2, send: 4 });
    expect((await fetch(`${sandbox.url}/cgi-bin/other`)).status).toBe(404);
  });
});
