import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { withSystem } from '../../db/tenant.ts';
import {
  enqueue,
  type NotifyWorld,
  notifyWorld,
  outbox,
  recipient,
  setNotify,
  until,
} from '../../services/notify/notify-fixtures.ts';
import { otherTenant, userWith } from './archive-fixtures.ts';

let w: NotifyWorld;
let other: Client;
let reader: Client;
let scopedReader: Client;
let scopedManager: Client;
let nobody: Client;
let accountA: string;
let accountB: string;

/** rows of the notify tables and audit entries other than logins, over all tenants */
async function counts() {
  const [row] = await withSystem(w.p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from notify_templates)::int as templates,
      (select count(*) from notify_settings)::int as settings,
      (select count(*) from notify_outbox)::int as outbox,
      (select count(*) from audit_log where action like 'notify%')::int as audit`),
  );
  return row;
}

beforeAll(async () => {
  w = await notifyWorld();
  await setNotify(w);
  accountA = (await recipient(w, 'ra', { areaId: w.areaA })).accountId;
  accountB = (await recipient(w, 'rb', { areaId: w.areaB, phone: '139' })).accountId;
  await enqueue(w, 'route-a', accountA);
  await enqueue(w, 'route-b', accountB);
  await until(async () =>
    (await outbox(w, 'route-')).every((r) => r.status === 'sent' || r.status === 'failed'),
  );
  other = await otherTenant(w.p);
  reader = await userWith(w.p, w.admin, 'nt-read', ['notify.read']);
  scopedReader = await userWith(w.p, w.admin, 'nt-area', ['notify.read'], [w.areaA]);
  scopedManager = await userWith(w.p, w.admin, 'nt-aman', ['notify.read', 'notify.manage'], [w.areaA]);
  nobody = await userWith(w.p, w.admin, 'nt-none', ['customers.read']);
}, 180_000);
afterAll(async () => w?.stop());

const good = { subject: '', body: '【测试】{{customerName}} 余额 {{balanceYuan}} 元' };
const settings = {
  channels: ['sms'],
  quietStart: '21:30',
  quietEnd: '07:30',
  timeZone: 'Asia/Shanghai',
  urgentEvents: ['cut-done'],
  maxAttempts: 3,
  backoffSeconds: 30,
};

describe('notify templates', () => {
  it('lists every event and channel with the defaults and the email subject convention', async () => {
    const r = await w.admin.get('/api/v1/notify/templates');
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(21);
    const email = r.body.items.find(
      (i: { event: string; channel: string }) => i.event === 'cut-done' && i.channel === 'email',
    );
    expect(email).toMatchObject({
      source: 'default',
      subject: '【{{tenantName}}】已停止供应',
      updatedAt: null,
    });
    expect(email.body).toContain('<p>');
  });

  it('saves an override the outbox then renders, and resets it to the default', async () => {
    const put = await w.admin.put('/api/v1/notify/templates/low-balance-1/sms', good);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ source: 'tenant', body: good.body });
    const { accountId } = await recipient(w, 'tpl');
    await enqueue(w, 'route-tpl', accountId, 'low-balance-1', { balanceYuan: '7.00' });
    await until(async () => (await outbox(w, 'route-tpl')).every((r) => r.status === 'sent'));
    const [row] = await outbox(w, 'route-tpl');
    expect(row?.body).toBe('【测试】通知户tpl 余额 7.00 元');
    const del = await w.admin.delete('/api/v1/notify/templates/low-balance-1/sms');
    expect(del.status).toBe(204);
    const after = await w.admin.get('/api/v1/notify/templates/low-balance-1/sms');
    expect(after.body.source).toBe('default');
  });

  it('previews with sample values: email HTML-escaped, sms plain text', async () => {
    const vars = { customerName: '<b>王&五</b>' };
    const email = await w.admin.post('/api/v1/notify/templates/preview', {
      event: 'overdraft',
      channel: 'email',
      subject: '致{{customerName}}',
      body: '<p>{{customerName}} {{balanceYuan}}</p>',
      vars,
    });
    expect(email.status).toBe(200);
    expect(email.body).toEqual({
      subject: '致<b>王&五</b>',
      body: '<p>&lt;b&gt;王&amp;五&lt;/b&gt; 18.50</p>',
    });
    const sms = await w.admin.post('/api/v1/notify/templates/preview', {
      event: 'overdraft',
      channel: 'sms',
      body: '{{customerName}}',
      vars,
    });
    expect(sms.body).toEqual({ subject: '', body: '<b>王&五</b>' });
  });

  it('answers NOTIFY_TEMPLATE_INVALID for a template that does not render, writing nothing', async () => {
    const before = await counts();
    for (const body of [
      '{{#if balanceYuan}}open',
      '{{lookupX customerName}}',
      '{{> partial}}',
      '{{customerName',
    ]) {
      const put = await w.admin.put('/api/v1/notify/templates/overdraft/sms', { body });
      expect(put.status, body).toBe(422);
      expect(put.body.error.code).toBe('NOTIFY_TEMPLATE_INVALID');
      const pre = await w.admin.post('/api/v1/notify/templates/preview', {
        event: 'overdraft',
        channel: 'sms',
        body,
      });
      expect(pre.status).toBe(422);
      expect(pre.body.error.code).toBe('NOTIFY_TEMPLATE_INVALID');
    }
    expect(await counts()).toEqual(before);
  });

  it('answers NOTIFY_TEMPLATE_UNKNOWN for an unknown event or channel', async () => {
    for (const path of ['/api/v1/notify/templates/no-such/sms', '/api/v1/notify/templates/overdraft/fax']) {
      expect((await w.admin.get(path)).body.error.code).toBe('NOTIFY_TEMPLATE_UNKNOWN');
      const put = await w.admin.put(path, good);
      expect(put.status).toBe(404);
      expect(put.body.error.code).toBe('NOTIFY_TEMPLATE_UNKNOWN');
    }
  });
});

describe('notify settings', () => {
  it('start from the defaults (22:00–08:00) and save', async () => {
    const fresh = await other.get('/api/v1/notify/settings');
    expect(fresh.body).toMatchObject({ quietStart: '22:00', quietEnd: '08:00', channels: ['sms'] });
    const put = await w.admin.put('/api/v1/notify/settings', settings);
    expect(put.status).toBe(200);
    expect(put.body).toEqual(settings);
    await setNotify(w);
  });
});

describe('the delivery log', () => {
  it('lists attempts with filters and keyset pages', async () => {
    const all = await w.admin.get('/api/v1/notify/deliveries?limit=200');
    expect(all.status).toBe(200);
    const mine = all.body.items.filter((d: { messageId: string }) => d.messageId.startsWith('route-'));
    expect(mine.map((d: { messageId: string; outcome: string }) => [d.messageId, d.outcome]).sort()).toEqual([
      ['route-a:sms', 'sent'],
      ['route-b:sms', 'failed'],
      ['route-tpl:sms', 'sent'],
    ]);
    const failed = await w.admin.get(
      '/api/v1/notify/deliveries?outcome=failed&channel=sms&event=low-balance-1',
    );
    expect(failed.body.items.map((d: { messageId: string }) => d.messageId)).toContain('route-b:sms');
    expect(failed.body.items.every((d: { outcome: string }) => d.outcome === 'failed')).toBe(true);
    const byAccount = await w.admin.get(`/api/v1/notify/deliveries?accountId=${accountB}`);
    expect(byAccount.body.items).toHaveLength(1);
    expect(byAccount.body.items[0]).toMatchObject({ errorCode: 'BAD_NUMBER', accountId: accountB });
    const p1 = await w.admin.get('/api/v1/notify/deliveries?limit=1');
    expect(p1.body.next).not.toBeNull();
    const p2 = await w.admin.get(`/api/v1/notify/deliveries?limit=1&before=${p1.body.next}`);
    expect(Number(p2.body.items[0].id)).toBeLessThan(Number(p1.body.items[0].id));
  });
});

describe('notify routes across tenants', () => {
  it('show another tenant nothing and let it change nothing of ours', async () => {
    const list = await other.get('/api/v1/notify/deliveries');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    expect((await other.get(`/api/v1/notify/deliveries?accountId=${accountA}`)).body.items).toEqual([]);
    const put = await other.put('/api/v1/notify/templates/overdraft/sms', good);
    expect(put.status).toBe(200);
    expect((await w.admin.get('/api/v1/notify/templates/overdraft/sms')).body.source).toBe('default');
    expect((await other.delete('/api/v1/notify/templates/overdraft/sms')).status).toBe(204);
    expect((await w.admin.get('/api/v1/notify/settings')).body.quietStart).toBe('00:00');
  });
});

describe('notify routes within a user’s areas', () => {
  it('show only the attempts of accounts in the user’s areas', async () => {
    const r = await scopedReader.get('/api/v1/notify/deliveries?limit=200');
    const ids = r.body.items.map((d: { accountId: string }) => d.accountId);
    expect(ids).toContain(accountA);
    expect(ids).not.toContain(accountB);
    expect((await scopedReader.get(`/api/v1/notify/deliveries?accountId=${accountB}`)).body.items).toEqual(
      [],
    );
  });

  it('refuse tenant-wide changes to an area-scoped manager with AUTH_SCOPE_TENANT_WIDE', async () => {
    const before = await counts();
    const a = await scopedManager.put('/api/v1/notify/settings', settings);
    const b = await scopedManager.put('/api/v1/notify/templates/overdraft/sms', good);
    const c = await scopedManager.delete('/api/v1/notify/templates/overdraft/sms');
    for (const r of [a, b, c]) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('AUTH_SCOPE_TENANT_WIDE');
    }
    expect(await counts()).toEqual(before);
  });
});

describe('notify routes and permissions', () => {
  it('refuse a user without notify.read, and a reader every change, with AUTH_FORBIDDEN', async () => {
    const before = await counts();
    const probes = [
      nobody.get('/api/v1/notify/templates'),
      nobody.get('/api/v1/notify/deliveries'),
      nobody.get('/api/v1/notify/settings'),
      nobody.post('/api/v1/notify/templates/preview', { event: 'overdraft', channel: 'sms', body: 'x' }),
      reader.put('/api/v1/notify/templates/overdraft/sms', good),
      reader.delete('/api/v1/notify/templates/overdraft/sms'),
      reader.put('/api/v1/notify/settings', settings),
    ];
    for (const r of await Promise.all(probes)) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('AUTH_FORBIDDEN');
    }
    expect((await reader.get('/api/v1/notify/templates')).status).toBe(200);
    expect(await counts()).toEqual(before);
  });
});

describe('notify routes and bad input', () => {
  it('answer REQ_VALIDATION for wrong types, NUL bytes, huge values and empty bodies, writing nothing', async () => {
    const before = await counts();
    const tpl = '/api/v1/notify/templates/overdraft/sms';
    const bad = [
      w.admin.put(tpl, {}),
      w.admin.put(tpl, { body: '' }),
      w.admin.put(tpl, { body: 123 }),
      w.admin.put(tpl, { body: 'a\u0000b' }),
      w.admin.put(tpl, { body: 'x'.repeat(8001) }),
      w.admin.put(tpl, { body: 'ok', subject: 's'.repeat(201) }),
      w.admin.put(tpl, { body: 'ok', extra: 1 }),
      w.admin.post('/api/v1/notify/templates/preview', {}),
      w.admin.post('/api/v1/notify/templates/preview', { event: 'overdraft', channel: 'fax', body: 'x' }),
      w.admin.post('/api/v1/notify/templates/preview', {
        event: 'overdraft',
        channel: 'sms',
        body: 'x',
        vars: { a: 1 },
      }),
      w.admin.put('/api/v1/notify/settings', {}),
      w.admin.put('/api/v1/notify/settings', { ...settings, quietStart: '25:00' }),
      w.admin.put('/api/v1/notify/settings', { ...settings, timeZone: 'Mars/Base' }),
      w.admin.put('/api/v1/notify/settings', { ...settings, timeZone: 'Asia/Shang\u0000hai' }),
      w.admin.put('/api/v1/notify/settings', { ...settings, maxAttempts: 0 }),
      w.admin.put('/api/v1/notify/settings', { ...settings, maxAttempts: '3' }),
      w.admin.put('/api/v1/notify/settings', { ...settings, backoffSeconds: 1e15 }),
      w.admin.put('/api/v1/notify/settings', { ...settings, channels: ['fax'] }),
      w.admin.put('/api/v1/notify/settings', { ...settings, urgentEvents: 'cut-done' }),
      w.admin.get('/api/v1/notify/deliveries?limit=100000'),
      w.admin.get('/api/v1/notify/deliveries?before=-1'),
      w.admin.get('/api/v1/notify/deliveries?accountId=not-a-uuid'),
      w.admin.get('/api/v1/notify/deliveries?outcome=lost'),
    ];
    for (const r of await Promise.all(bad)) {
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    expect(await counts()).toEqual(before);
  });
});

describe('customer notice contacts', () => {
  let customerA: string;
  let customerB: string;
  let writerA: Client;
  let clerk: Client;
  const contacts = async () =>
    (
      await withSystem(w.p.running.platform.db, (tx) =>
        tx.execute(sql`select id::text, email, wechat_openid, notify_channels from customers order by id`),
      )
    ).map((r) => ({ ...r }));

  beforeAll(async () => {
    customerA = (await recipient(w, 'ca', { areaId: w.areaA })).customerId;
    customerB = (await recipient(w, 'cb', { areaId: w.areaB })).customerId;
    writerA = await userWith(w.p, w.admin, 'nt-cw', ['customers.read', 'customers.write'], [w.areaA]);
    clerk = await userWith(w.p, w.admin, 'nt-clerk', ['customers.read', 'customers.write']);
  });

  it('saves e-mail, openid and opt-ins, shown unmasked with customers.pii and masked without', async () => {
    const put = await w.admin.patch(`/api/v1/notify/contacts/${customerA}`, {
      email: 'wang.wu@example.cn',
      wechatOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      channels: ['sms', 'email'],
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      customerId: customerA,
      phone: '13800138000',
      email: 'wang.wu@example.cn',
      wechatOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      channels: ['sms', 'email'],
    });
    const seen = await clerk.get(`/api/v1/notify/contacts/${customerA}`);
    expect(seen.body).toMatchObject({
      phone: '138****8000',
      email: 'w***@example.cn',
      wechatOpenid: 'oUpF****eS6o',
    });
    const cleared = await clerk.patch(`/api/v1/notify/contacts/${customerA}`, { email: null });
    expect(cleared.body).toMatchObject({ email: null, channels: ['sms', 'email'] });
  });

  it('answer 404 to another tenant and outside the user’s areas, changing nothing', async () => {
    const before = await contacts();
    for (const r of [
      await other.get(`/api/v1/notify/contacts/${customerA}`),
      await other.patch(`/api/v1/notify/contacts/${customerA}`, { email: 'x@example.cn' }),
      await writerA.get(`/api/v1/notify/contacts/${customerB}`),
      await writerA.patch(`/api/v1/notify/contacts/${customerB}`, { channels: [] }),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    expect((await writerA.get(`/api/v1/notify/contacts/${customerA}`)).status).toBe(200);
    expect(await contacts()).toEqual(before);
  });

  it('refuse a user without customers.write or customers.read with AUTH_FORBIDDEN', async () => {
    const before = await contacts();
    for (const r of [
      await nobody.patch(`/api/v1/notify/contacts/${customerA}`, { channels: [] }),
      await reader.get(`/api/v1/notify/contacts/${customerA}`),
    ]) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('AUTH_FORBIDDEN');
    }
    expect(await contacts()).toEqual(before);
  });

  it('answer REQ_VALIDATION for bad input, changing nothing', async () => {
    const before = await contacts();
    const path = `/api/v1/notify/contacts/${customerA}`;
    for (const r of await Promise.all([
      w.admin.patch(path, {}),
      w.admin.patch(path, { email: 'not-an-email' }),
      w.admin.patch(path, { email: `${'a'.repeat(300)}@example.cn` }),
      w.admin.patch(path, { email: 12 }),
      w.admin.patch(path, { wechatOpenid: 'o\u0000x' }),
      w.admin.patch(path, { wechatOpenid: 'x'.repeat(129) }),
      w.admin.patch(path, { channels: ['fax'] }),
      w.admin.patch(path, { channels: 'sms' }),
      w.admin.patch(path, { phone: '13900000000' }),
      w.admin.patch('/api/v1/notify/contacts/not-a-uuid', { channels: [] }),
    ])) {
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    expect(await contacts()).toEqual(before);
  });
});
