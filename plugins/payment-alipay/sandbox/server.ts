import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Money } from '@quadmeter/sdk';
import { beijingText, rsa2Sign, signContent, verifyParams } from '../src/sign.ts';
import { BILL_COLUMNS } from '../src/statement.ts';

export interface AlipaySandboxOptions {
  appId: string;
  sellerId: string;
  /** the app's public key (PEM): every gateway request's signature is checked with it */
  appPublicKey: string;
}

/** A notification as the provider sends it: the form body to the order's notify_url. */
export interface SandboxNotification {
  url: string;
  body: string;
}

interface SandboxOrder {
  outTradeNo: string;
  amountFen: number;
  notifyUrl: string;
  subject: string;
  state: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  tradeNo?: string;
  paidAt?: Date;
  paidFen?: number;
  refunds: { outRequestNo: string; amountFen: number; at: Date }[];
}

export interface NotifyOptions {
  /** the amount the payer paid, when it should differ from the order (a wrong-amount notification) */
  amountFen?: number;
  /** another app or seller in the signed fields */
  appId?: string;
  sellerId?: string;
  /** the notify_time to send (a stale notification) */
  notifyTime?: Date;
  /** sign with a key the merchant does not know (a forged notification) */
  forged?: boolean;
}

export interface AlipaySandbox {
  /** the gateway URL (configure as endpoint) */
  url: string;
  /** the Alipay public key to configure as alipayPublicKey */
  publicKeyPem: string;
  orders(): ReadonlyMap<string, Readonly<SandboxOrder>>;
  /** the payer pays: the trade turns TRADE_SUCCESS and its signed notification is returned (not yet sent) */
  pay(outTradeNo: string, options?: NotifyOptions): SandboxNotification;
  /** the notification of a trade as it stands now (a retry keeps its notify_id) */
  notification(outTradeNo: string, options?: NotifyOptions): SandboxNotification;
  /** posts a notification to its notify_url and returns the HTTP answer */
  deliver(n: SandboxNotification): Promise<{ status: number; body: string }>;
  /** a copy with one digit of total_amount changed and the signature kept */
  tamper(n: SandboxNotification): SandboxNotification;
  /** notifications queued by `queue` are delivered later by `release`, optionally reversed and delayed */
  queue(n: SandboxNotification): void;
  release(options?: { reverse?: boolean; delayMs?: number }): Promise<{ status: number; body: string }[]>;
  /** the business-detail bill (业务明细) of one Beijing business day */
  statement(date: string): string;
  /** gateway requests answered, by `code` */
  answered(): Record<string, number>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

const bjDate = (d: Date) => beijingText(d).slice(0, 10);

/**
 * A loopback Alipay gateway: it checks every request's RSA2 app signature, keeps trades and
 * refunds (a repeated out_request_no refunds nothing more, `fund_change: N`), signs every answer
 * node and every notification with its own key, and writes the day's bill. Tests and the demo
 * drive the payer side: pay, replay, tamper, delay, reorder.
 */
export async function startAlipaySandbox(o: AlipaySandboxOptions): Promise<AlipaySandbox> {
  const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const appKey: KeyObject = createPublicKey(o.appPublicKey);
  const orders = new Map<string, SandboxOrder>();
  const notifyIds = new Map<string, string>();
  const held: SandboxNotification[] = [];
  const counts: Record<string, number> = {};
  let seq = 0;

  const answer = (res: ServerResponse, method: string, node: Record<string, unknown>) => {
    const code = String(node.code);
    counts[code] = (counts[code] ?? 0) + 1;
    const raw = JSON.stringify(node);
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
    res.end(
      `{"${method.replaceAll('.', '_')}_response":${raw},"sign":"${rsa2Sign(raw, alipay.privateKey)}"}`,
    );
  };
  const ok = (fields: Record<string, unknown>) => ({ code: '10000', msg: 'Success', ...fields });
  const fail = (sub_code: string, sub_msg: string) => ({
    code: '40004',
    msg: 'Business Failed',
    sub_code,
    sub_msg,
  });

  function notification(no: string, opt: NotifyOptions = {}): SandboxNotification {
    const x = orders.get(no);
    if (!x) throw new Error(`sandbox: no order ${no}`);
    const id = notifyIds.get(no) ?? randomBytes(16).toString('hex');
    notifyIds.set(no, id);
    const p: Record<string, string> = {
      notify_time: beijingText(opt.notifyTime ?? new Date()),
      notify_type: 'trade_status_sync',
      notify_id: id,
      app_id: opt.appId ?? o.appId,
      auth_app_id: opt.appId ?? o.appId,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      trade_no: x.tradeNo ?? '',
      out_trade_no: x.outTradeNo,
      buyer_id: '2088102177846880',
      buyer_logon_id: 'pay***@sandbox.com',
      seller_id: opt.sellerId ?? o.sellerId,
      seller_email: 'merchant@sandbox.com',
      trade_status: x.state,
      total_amount: Money.toYuan(opt.amountFen ?? x.paidFen ?? x.amountFen),
      receipt_amount: Money.toYuan(opt.amountFen ?? x.paidFen ?? x.amountFen),
      subject: x.subject,
      body: '',
      gmt_create: beijingText(x.paidAt ?? new Date()),
      ...(x.paidAt && { gmt_payment: beijingText(x.paidAt) }),
    };
    // Alipay signs without the empty fields and sends them anyway
    const signed = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== ''));
    p.sign = rsa2Sign(signContent(signed), opt.forged ? stranger : alipay.privateKey);
    return { url: x.notifyUrl, body: new URLSearchParams(p).toString() };
  }

  async function deliver(n: SandboxNotification) {
    const r = await fetch(n.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: n.body,
    });
    return { status: r.status, body: await r.text() };
  }

  const server = createServer(async (req, res) => {
    const p = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const method = p.method ?? 'unknown';
    if (req.method !== 'POST' || p.app_id !== o.appId || !verifyParams(p, appKey))
      return answer(res, method, {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-signature',
        sub_msg: '验签出错',
      });
    const biz = JSON.parse(p.biz_content ?? '{}') as Record<string, string>;
    const x = orders.get(biz.out_trade_no ?? '');
    if (method === 'alipay.trade.precreate') {
      if (!x)
        orders.set(biz.out_trade_no, {
          outTradeNo: biz.out_trade_no,
          amountFen: Money.fromYuan(biz.total_amount),
          notifyUrl: p.notify_url ?? '',
          subject: biz.subject ?? '',
          state: 'WAIT_BUYER_PAY',
          refunds: [],
        });
      return answer(
        res,
        method,
        ok({ out_trade_no: biz.out_trade_no, qr_code: `https://qr.alipay.com/${biz.out_trade_no}` }),
      );
    }
    if (!x) return answer(res, method, fail('ACQ.TRADE_NOT_EXIST', '交易不存在'));
    if (method === 'alipay.trade.query')
      return answer(
        res,
        method,
        ok({
          out_trade_no: x.outTradeNo,
          trade_no: x.tradeNo,
          trade_status: x.state,
          total_amount: Money.toYuan(x.paidFen ?? x.amountFen),
          ...(x.paidAt && { send_pay_date: beijingText(x.paidAt) }),
        }),
      );
    if (method === 'alipay.trade.refund') {
      const again = x.refunds.find((r) => r.outRequestNo === biz.out_request_no);
      const refunded = x.refunds.reduce((s, r) => s + r.amountFen, 0);
      const amount = Money.fromYuan(biz.refund_amount);
      if (!again && x.state !== 'TRADE_SUCCESS')
        return answer(res, method, fail('ACQ.TRADE_STATUS_ERROR', '交易状态不合法'));
      if (!again && refunded + amount > (x.paidFen ?? x.amountFen))
        return answer(res, method, fail('ACQ.REASON_TRADE_REFUND_FEE_ERR', '退款金额超限'));
      if (!again) x.refunds.push({ outRequestNo: biz.out_request_no, amountFen: amount, at: new Date() });
      return answer(
        res,
        method,
        ok({
          out_trade_no: x.outTradeNo,
          trade_no: x.tradeNo,
          refund_fee: Money.toYuan(refunded + (again ? 0 : amount)),
          fund_change: again ? 'N' : 'Y',
        }),
      );
    }
    return answer(res, method, { code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/gateway.do`,
    publicKeyPem: alipay.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    orders: () => orders,
    pay(no, opt = {}) {
      const x = orders.get(no);
      if (!x) throw new Error(`sandbox: no order ${no}`);
      if (x.state === 'WAIT_BUYER_PAY') {
        x.state = 'TRADE_SUCCESS';
        x.tradeNo = `2026${Date.now()}${String(++seq).padStart(6, '0')}`;
        x.paidAt = new Date();
        x.paidFen = opt.amountFen ?? x.amountFen;
      }
      return notification(no, opt);
    },
    notification,
    deliver,
    tamper(n) {
      const p = new URLSearchParams(n.body);
      const amount = p.get('total_amount') ?? '0.00';
      p.set('total_amount', `${Number(amount[0]) === 9 ? 8 : Number(amount[0]) + 1}${amount.slice(1)}`);
      return { ...n, body: p.toString() };
    },
    queue: (n) => void held.push(n),
    async release(opt = {}) {
      const batch = held.splice(0);
      if (opt.reverse) batch.reverse();
      const out = [];
      for (const n of batch) {
        if (opt.delayMs) await new Promise((r) => setTimeout(r, opt.delayMs));
        out.push(await deliver(n));
      }
      return out;
    },
    statement(date) {
      const rows = [
        '#支付宝业务明细查询',
        `#账号：[${o.sellerId}]`,
        `#起始日期：[${date} 00:00:00]   终止日期：[${date} 23:59:59]`,
        BILL_COLUMNS.join(','),
      ];
      const row = (v: Partial<Record<(typeof BILL_COLUMNS)[number], string>>) =>
        rows.push(BILL_COLUMNS.map((c) => v[c] ?? '').join(','));
      let total = 0;
      for (const x of orders.values()) {
        if (x.paidAt && bjDate(x.paidAt) === date) {
          total += x.paidFen ?? x.amountFen;
          row({
            支付宝交易号: x.tradeNo,
            商户订单号: x.outTradeNo,
            业务类型: '交易',
            商品名称: x.subject.replaceAll(',', ' '),
            创建时间: beijingText(x.paidAt),
            完成时间: beijingText(x.paidAt),
            对方账户: 'pay***@sandbox.com',
            '订单金额（元）': Money.toYuan(x.paidFen ?? x.amountFen),
            '商家实收（元）': Money.toYuan(x.paidFen ?? x.amountFen),
            '服务费（元）': '0.00',
          });
        }
        for (const r of x.refunds.filter((r) => bjDate(r.at) === date)) {
          total -= r.amountFen;
          row({
            支付宝交易号: x.tradeNo,
            商户订单号: x.outTradeNo,
            业务类型: '退款',
            商品名称: x.subject.replaceAll(',', ' '),
            创建时间: beijingText(r.at),
            完成时间: beijingText(r.at),
            对方账户: 'pay***@sandbox.com',
            '订单金额（元）': Money.toYuan(-r.amountFen),
            '商家实收（元）': Money.toYuan(-r.amountFen),
            '退款批次号/请求号': r.outRequestNo,
            '服务费（元）': '0.00',
          });
        }
      }
      rows.push('#业务明细列表结束', `#实收金额（元）：${Money.toYuan(total)}`);
      return `${rows.join('\r\n')}\r\n`;
    },
    answered: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
