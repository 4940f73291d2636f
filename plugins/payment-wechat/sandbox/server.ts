import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptResource } from '../src/aead.ts';
import { callbackMessage, requestMessage, rsaSign, rsaVerify } from '../src/sign.ts';
import { BILL_COLUMNS } from '../src/statement.ts';

export interface WechatSandboxOptions {
  mchid: string;
  appid: string;
  apiV3Key: string;
  /** the merchant's public key (PEM): every request's Authorization signature is checked with it */
  merchantPublicKey: string;
  merchantSerial: string;
}

/** A callback as the provider sends it: the raw body and its Wechatpay-* headers. */
export interface SandboxNotification {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

interface Refund {
  outRefundNo: string;
  refundId: string;
  amountFen: number;
  at: Date;
}

interface SandboxOrder {
  outTradeNo: string;
  appid: string;
  amountFen: number;
  notifyUrl: string;
  description: string;
  tradeType: 'NATIVE' | 'JSAPI';
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';
  transactionId?: string;
  successAt?: Date;
  paidFen?: number;
  refunds: Refund[];
}

export interface PayOptions {
  /** the amount the payer paid, when it should differ from the order (a wrong-amount callback) */
  amountFen?: number;
  /** sign the notification for another merchant or app */
  mchid?: string;
  appid?: string;
}

export interface NotifyOptions {
  /** seconds since the epoch to put in Wechatpay-Timestamp (a stale callback) */
  timestamp?: number;
  /** sign with a key the merchant does not know under the real serial (a forged callback) */
  forged?: boolean;
  /** a signature-test probe: Wechatpay-Signature starts with WECHATPAY/SIGNTEST/ */
  probe?: boolean;
  /** encrypt the resource with another APIv3 key */
  apiV3Key?: string;
}

export interface WechatSandbox {
  url: string;
  /** the WeChat Pay public key id and its PEM: configure as platformKeys { [serial]: pem } */
  serial: string;
  publicKeyPem: string;
  orders(): ReadonlyMap<string, Readonly<SandboxOrder>>;
  /** the payer pays: the order turns SUCCESS and its signed callback is returned (not yet sent) */
  pay(outTradeNo: string, options?: PayOptions & NotifyOptions): SandboxNotification;
  /** the callback of an order as it stands now (a replay when it was already sent) */
  notification(outTradeNo: string, options?: NotifyOptions & PayOptions): SandboxNotification;
  /** sends a callback to the merchant's notify_url and returns the HTTP answer */
  deliver(n: SandboxNotification): Promise<{ status: number; body: string }>;
  /** a copy of the callback with one digit of its body changed and the signature kept */
  tamper(n: SandboxNotification): SandboxNotification;
  /** callbacks queued by `queue` are delivered later by `release`, optionally reversed and delayed */
  queue(n: SandboxNotification): void;
  release(options?: { reverse?: boolean; delayMs?: number }): Promise<{ status: number; body: string }[]>;
  /** the trade bill (交易账单) of one Beijing business day, as the bill download returns it */
  statement(date: string): string;
  /** API requests answered by status */
  answered(): Record<string, number>;
  close(): Promise<void>;
}

const bj = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString();
const bjRfc3339 = (d: Date) => `${bj(d).slice(0, 19)}+08:00`;
const bjDate = (d: Date) => bj(d).slice(0, 10);
const bjTime = (d: Date) => `${bj(d).slice(0, 10)} ${bj(d).slice(11, 19)}`;
const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

function parseAuthorization(h: string | undefined): Record<string, string> | undefined {
  if (!h?.startsWith('WECHATPAY2-SHA256-RSA2048 ')) return undefined;
  const out: Record<string, string> = {};
  for (const m of h.slice(26).matchAll(/(\w+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

/**
 * A loopback WeChat Pay v3 merchant API: it checks every request's merchant signature, keeps
 * orders and refunds, signs every answer and every callback with its own RSA key (public-key
 * mode, serial PUB_KEY_ID_…), encrypts callback resources with the APIv3 key, and writes the
 * day's trade bill. Tests and the demo drive the payer side: pay, replay, tamper, delay, reorder.
 */
export async function startWechatSandbox(o: WechatSandboxOptions): Promise<WechatSandbox> {
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const serial = `PUB_KEY_ID_0114${randomBytes(12).toString('hex').toUpperCase()}`;
  const merchantKey: KeyObject = createPublicKey(o.merchantPublicKey);
  const orders = new Map<string, SandboxOrder>();
  const held: SandboxNotification[] = [];
  const counts: Record<string, number> = {};
  let seq = 0;

  const signedHeaders = (body: Buffer, ts = Math.floor(Date.now() / 1000), key = platform.privateKey) => {
    const nonce = randomBytes(16).toString('hex');
    return {
      'wechatpay-timestamp': String(ts),
      'wechatpay-nonce': nonce,
      'wechatpay-serial': serial,
      'wechatpay-signature': rsaSign(callbackMessage(String(ts), nonce, body), key),
      'request-id': randomBytes(8).toString('hex'),
    };
  };

  const answer = (res: ServerResponse, status: number, payload?: unknown) => {
    counts[status] = (counts[status] ?? 0) + 1;
    const body = Buffer.from(payload === undefined ? '' : JSON.stringify(payload), 'utf8');
    res.writeHead(status, { 'content-type': 'application/json', ...signedHeaders(body) }).end(body);
  };

  const transaction = (x: SandboxOrder, p: PayOptions = {}) => ({
    appid: p.appid ?? x.appid,
    mchid: p.mchid ?? o.mchid,
    out_trade_no: x.outTradeNo,
    ...(x.transactionId && { transaction_id: x.transactionId }),
    trade_type: x.tradeType,
    trade_state: x.state,
    trade_state_desc: x.state === 'SUCCESS' ? '支付成功' : x.state,
    bank_type: 'OTHERS',
    attach: '',
    ...(x.successAt && { success_time: bjRfc3339(x.successAt) }),
    payer: { openid: 'sandbox-openid' },
    amount: {
      total: p.amountFen ?? x.paidFen ?? x.amountFen,
      payer_total: p.amountFen ?? x.paidFen ?? x.amountFen,
      currency: 'CNY',
      payer_currency: 'CNY',
    },
  });

  const notification = (no: string, opt: NotifyOptions & PayOptions = {}): SandboxNotification => {
    const x = orders.get(no);
    if (!x) throw new Error(`sandbox: no order ${no}`);
    const nonce = randomBytes(6).toString('hex');
    const associated = 'transaction';
    const plain = JSON.stringify(transaction(x, opt));
    const envelope = {
      id: `EV-${randomBytes(10).toString('hex')}`,
      create_time: bjRfc3339(new Date()),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: {
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: encryptResource(plain, opt.apiV3Key ?? o.apiV3Key, nonce, associated),
        associated_data: associated,
        nonce,
      },
    };
    const body = Buffer.from(JSON.stringify(envelope), 'utf8');
    const headers = signedHeaders(body, opt.timestamp, opt.forged ? stranger : platform.privateKey);
    if (opt.probe) headers['wechatpay-signature'] = `WECHATPAY/SIGNTEST/${headers['wechatpay-signature']}`;
    return { url: x.notifyUrl, headers: { 'content-type': 'application/json', ...headers }, body };
  };

  const deliver = async (n: SandboxNotification) => {
    const res = await fetch(n.url, { method: 'POST', headers: n.headers, body: n.body });
    return { status: res.status, body: await res.text() };
  };

  const create = (res: ServerResponse, tradeType: 'NATIVE' | 'JSAPI', b: Record<string, unknown>) => {
    const amount = b.amount as { total?: unknown } | undefined;
    const no = b.out_trade_no;
    if (
      b.mchid !== o.mchid ||
      typeof b.appid !== 'string' ||
      typeof no !== 'string' ||
      !/^[0-9A-Za-z_\-*]{6,32}$/.test(no) ||
      typeof b.notify_url !== 'string' ||
      b.notify_url.includes('?') ||
      !Number.isSafeInteger(amount?.total) ||
      (amount?.total as number) <= 0 ||
      (tradeType === 'JSAPI' && typeof (b.payer as { openid?: unknown })?.openid !== 'string')
    )
      return answer(res, 400, { code: 'PARAM_ERROR', message: '参数错误' });
    const had = orders.get(no);
    if (had && (had.amountFen !== amount?.total || had.tradeType !== tradeType))
      return answer(res, 400, { code: 'INVALID_REQUEST', message: '201 商户订单号重复' });
    if (had && had.state !== 'NOTPAY')
      return answer(res, 400, { code: 'ORDERPAID', message: '该订单已支付' });
    const x: SandboxOrder = had ?? {
      outTradeNo: no,
      appid: b.appid,
      amountFen: amount?.total as number,
      notifyUrl: b.notify_url,
      description: String(b.description ?? ''),
      tradeType,
      state: 'NOTPAY',
      refunds: [],
    };
    orders.set(no, x);
    if (tradeType === 'NATIVE') return answer(res, 200, { code_url: `weixin://wxpay/bizpayurl?pr=${no}` });
    return answer(res, 200, { prepay_id: `wx${randomBytes(14).toString('hex')}` });
  };

  const refund = (res: ServerResponse, b: Record<string, unknown>) => {
    const x = orders.get(String(b.out_trade_no));
    const amount = b.amount as { refund?: unknown; total?: unknown } | undefined;
    const no = b.out_refund_no;
    if (!x) return answer(res, 404, { code: 'RESOURCE_NOT_EXISTS', message: '订单不存在' });
    if (typeof no !== 'string' || !Number.isSafeInteger(amount?.refund) || (amount?.refund as number) <= 0)
      return answer(res, 400, { code: 'PARAM_ERROR', message: '参数错误' });
    if (x.state !== 'SUCCESS' && x.state !== 'REFUND')
      return answer(res, 400, { code: 'INVALID_REQUEST', message: '订单未支付' });
    const paid = x.paidFen ?? x.amountFen;
    if (amount?.total !== paid) return answer(res, 400, { code: 'PARAM_ERROR', message: '订单金额不符' });
    const again = x.refunds.find((r) => r.outRefundNo === no);
    if (again) {
      if (again.amountFen !== amount?.refund)
        return answer(res, 400, { code: 'INVALID_REQUEST', message: '退款单号重复' });
      return answer(res, 200, { refund_id: again.refundId, out_refund_no: no, status: 'SUCCESS' });
    }
    const refunded = x.refunds.reduce((s, r) => s + r.amountFen, 0);
    if (refunded + (amount?.refund as number) > paid)
      return answer(res, 403, { code: 'NOT_ENOUGH', message: '退款金额超过可退金额' });
    const r: Refund = {
      outRefundNo: no,
      refundId: `5030${Date.now()}${String(++seq).padStart(6, '0')}`,
      amountFen: amount?.refund as number,
      at: new Date(),
    };
    x.refunds.push(r);
    x.state = 'REFUND';
    return answer(res, 200, { refund_id: r.refundId, out_refund_no: no, status: 'SUCCESS' });
  };

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const auth = parseAuthorization(req.headers.authorization);
    const message = requestMessage(
      req.method ?? '',
      `${url.pathname}${url.search}`,
      auth?.timestamp ?? '',
      auth?.nonce_str ?? '',
      raw.toString('utf8'),
    );
    if (
      !auth ||
      auth.mchid !== o.mchid ||
      auth.serial_no !== o.merchantSerial ||
      Math.abs(Date.now() / 1000 - Number(auth.timestamp)) > 300 ||
      !rsaVerify(message, merchantKey, auth.signature ?? '')
    )
      return answer(res, 401, { code: 'SIGN_ERROR', message: '签名错误' });
    let b: Record<string, unknown> = {};
    try {
      b = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return answer(res, 400, { code: 'PARAM_ERROR', message: '请求体不是 JSON' });
    }
    const q = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && url.pathname === '/v3/pay/transactions/native')
      return create(res, 'NATIVE', b);
    if (req.method === 'POST' && url.pathname === '/v3/pay/transactions/jsapi')
      return create(res, 'JSAPI', b);
    if (req.method === 'GET' && q) {
      const x = orders.get(decodeURIComponent(q[1]));
      if (!x || url.searchParams.get('mchid') !== o.mchid)
        return answer(res, 404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
      return answer(res, 200, transaction(x));
    }
    if (req.method === 'POST' && url.pathname === '/v3/refund/domestic/refunds') return refund(res, b);
    return answer(res, 404, { code: 'NOT_FOUND', message: '无此接口' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    serial,
    publicKeyPem: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    orders: () => orders,
    pay(no, opt = {}) {
      const x = orders.get(no);
      if (!x) throw new Error(`sandbox: no order ${no}`);
      if (x.state === 'NOTPAY') {
        x.state = 'SUCCESS';
        x.transactionId = `4200${Date.now()}${String(++seq).padStart(6, '0')}`;
        x.successAt = new Date();
        x.paidFen = opt.amountFen ?? x.amountFen;
      }
      return notification(no, opt);
    },
    notification,
    deliver,
    tamper(n) {
      const body = Buffer.from(n.body);
      const at = body.indexOf('"create_time":"') + 15;
      body[at + 3] = body[at + 3] === 0x39 ? 0x38 : body[at + 3] + 1;
      return { ...n, body };
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
      const rows: string[] = [BILL_COLUMNS.join(',')];
      let count = 0;
      let settled = 0;
      let refunded = 0;
      const row = (v: Record<string, string>) =>
        rows.push(BILL_COLUMNS.map((c) => `\`${v[c] ?? ''}`).join(','));
      for (const x of orders.values()) {
        if (x.successAt && bjDate(x.successAt) === date) {
          count++;
          settled += x.paidFen ?? x.amountFen;
          row({
            交易时间: bjTime(x.successAt),
            公众账号ID: x.appid,
            商户号: o.mchid,
            微信订单号: x.transactionId ?? '',
            商户订单号: x.outTradeNo,
            用户标识: 'sandbox-openid',
            交易类型: x.tradeType,
            交易状态: 'SUCCESS',
            付款银行: 'OTHERS',
            货币种类: 'CNY',
            应结订单金额: yuan(x.paidFen ?? x.amountFen),
            代金券金额: '0.00',
            退款金额: '0.00',
            充值券退款金额: '0.00',
            商品名称: x.description,
            手续费: '0.00',
            费率: '0.60%',
            订单金额: yuan(x.paidFen ?? x.amountFen),
            申请退款金额: '0.00',
          });
        }
        for (const r of x.refunds.filter((r) => bjDate(r.at) === date)) {
          count++;
          refunded += r.amountFen;
          row({
            交易时间: bjTime(r.at),
            公众账号ID: x.appid,
            商户号: o.mchid,
            微信订单号: x.transactionId ?? '',
            商户订单号: x.outTradeNo,
            交易类型: x.tradeType,
            交易状态: 'REFUND',
            货币种类: 'CNY',
            应结订单金额: '0.00',
            代金券金额: '0.00',
            微信退款单号: r.refundId,
            商户退款单号: r.outRefundNo,
            退款金额: yuan(r.amountFen),
            充值券退款金额: '0.00',
            退款类型: 'ORIGINAL',
            退款状态: 'SUCCESS',
            商品名称: x.description,
            手续费: '0.00',
            费率: '0.60%',
            订单金额: yuan(x.paidFen ?? x.amountFen),
            申请退款金额: yuan(r.amountFen),
          });
        }
      }
      rows.push(
        '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
      );
      rows.push(
        [count, yuan(settled), yuan(refunded), '0.00', '0.00', yuan(settled), yuan(refunded)]
          .map((v) => `\`${v}`)
          .join(','),
      );
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
