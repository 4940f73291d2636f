import { createHash, createPublicKey, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonical, encodeForm, type Fields, parseForm, signFields, UNIONPAY_CN } from '../src/sign.ts';
import { STATEMENT_HEADER } from '../src/statement.ts';
import { issue } from './certs.ts';

export interface UnionpaySandboxOptions {
  merId: string;
  /** the merchant's signing certificate id and public key (PEM): every request is checked with it */
  certId: string;
  merchantPublicKey: string;
  /** the fee the statement charges per payment, in fen */
  feeFen?: number;
}

/** A back notification as the provider sends it: a signed form POSTed to the order's backUrl. */
export interface SandboxNotification {
  url: string;
  body: string;
}

export interface NotifyOptions {
  /** txnAmt other than the order's (a wrong-amount callback) */
  amountFen?: number;
  /** another merchant's merId */
  merId?: string;
  /** signed by a key that is not the certificate's (a forged callback) */
  forged?: boolean;
  /** signed under a certificate of a chain the merchant does not trust */
  untrusted?: boolean;
  /** signed under a UnionPay certificate that has expired */
  expired?: boolean;
  /** a certificate of the right chain whose CN does not name UnionPay */
  otherCn?: boolean;
}

interface Order {
  orderId: string;
  amountFen: number;
  backUrl: string;
  status: 'unpaid' | 'paid';
  queryId?: string;
  txnTime: string;
  paidAmountFen?: number;
  refundedFen: number;
}
interface Refund {
  orderId: string;
  origOrderId: string;
  queryId: string;
  amountFen: number;
  txnTime: string;
}

export interface UnionpaySandbox {
  url: string;
  /** configure as rootCert and middleCert */
  rootCert: string;
  middleCert: string;
  orders(): ReadonlyMap<string, Readonly<Order>>;
  refunds(): ReadonlyMap<string, Readonly<Refund>>;
  /** the payer pays: the order turns paid and its signed back notification is returned (not yet sent) */
  pay(orderId: string, o?: NotifyOptions): SandboxNotification;
  /** the notification of an order as it stands now (a replay once sent), optionally altered */
  notification(orderId: string, o?: NotifyOptions): SandboxNotification;
  /** POSTs a notification to its backUrl and returns the HTTP answer */
  deliver(n: SandboxNotification): Promise<{ status: number; body: string }>;
  /** a copy with one digit of txnAmt changed and the signature kept */
  tamper(n: SandboxNotification): SandboxNotification;
  /** notifications queued are delivered by `release`, optionally reversed and spaced by delayMs */
  queue(n: SandboxNotification): void;
  release(o?: { reverse?: boolean; delayMs?: number }): Promise<{ status: number; body: string }[]>;
  /** writes the statement file of one Beijing business day (YYYY-MM-DD) and returns it */
  statement(date: string): { path: string; content: string };
  /** requests answered, by respCode */
  answered(): Record<string, number>;
  close(): Promise<void>;
}

const beijing = (d = new Date()) =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);

function merchantSigned(f: Fields, key: KeyObject): boolean {
  if (!f.signature) return false;
  const digest = createHash('sha256').update(canonical(f), 'utf8').digest('hex');
  try {
    return createVerify('RSA-SHA256').update(digest, 'utf8').verify(key, f.signature, 'base64');
  } catch {
    return false;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A loopback UnionPay gateway (5.1.0, signMethod 01): its own root → middle → signing
 * certificate chain, QR orders, queries, refunds by orderId (a repeated refund orderId answers
 * 12), back notifications signed exactly as the provider signs them, and a statement file.
 */
export async function startUnionpaySandbox(o: UnionpaySandboxOptions): Promise<UnionpaySandbox> {
  const root = issue('UnionPay Sandbox Root', { ca: true });
  const middle = issue('UnionPay Sandbox Middle', {
    ca: true,
    issuer: { cn: 'UnionPay Sandbox Root', key: root.key },
  });
  const byMiddle = { cn: 'UnionPay Sandbox Middle', key: middle.key };
  const signer = issue(`041@Z00000001@${UNIONPAY_CN}@00000001`, { issuer: byMiddle });
  const expired = issue(`041@Z00000002@${UNIONPAY_CN}@00000002`, {
    issuer: byMiddle,
    notBefore: new Date(Date.now() - 400 * 86_400_000),
    notAfter: new Date(Date.now() - 86_400_000),
  });
  const otherCn = issue('041@Z00000003@Someone Else Ltd@00000003', { issuer: byMiddle });
  const strangerRoot = issue('Stranger Root', { ca: true });
  const strangerMiddle = issue('Stranger Middle', {
    ca: true,
    issuer: { cn: 'Stranger Root', key: strangerRoot.key },
  });
  const stranger = issue(`041@Z00000004@${UNIONPAY_CN}@00000004`, {
    issuer: { cn: 'Stranger Middle', key: strangerMiddle.key },
  });
  const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const merchantKey = createPublicKey(o.merchantPublicKey);
  const orders = new Map<string, Order>();
  const refunds = new Map<string, Refund>();
  const counts: Record<string, number> = {};
  let seq = 0;
  const pending: SandboxNotification[] = [];

  const signed = (f: Fields, cert = signer, key = cert.key): Fields => {
    const out: Fields = {
      version: '5.1.0',
      encoding: 'UTF-8',
      signMethod: '01',
      ...f,
      signPubKeyCert: cert.pem,
    };
    out.signature = signFields(out, key);
    return out;
  };
  const answer = (req: Fields, fields: Fields): Fields => {
    counts[fields.respCode] = (counts[fields.respCode] ?? 0) + 1;
    return signed({
      accessType: '0',
      merId: o.merId,
      bizType: req.bizType ?? '000000',
      txnType: req.txnType ?? '',
      txnSubType: req.txnSubType ?? '',
      orderId: req.orderId ?? '',
      txnTime: req.txnTime ?? '',
      respMsg: fields.respCode === '00' ? '成功[0000000]' : 'failed',
      ...fields,
    });
  };

  const handle = (req: Fields, path: string): Fields => {
    if (
      req.version !== '5.1.0' ||
      req.signMethod !== '01' ||
      req.certId !== o.certId ||
      !merchantSigned(req, merchantKey)
    )
      return answer(req, { respCode: '11' }); // 验证签名失败
    if (req.merId !== o.merId) return answer(req, { respCode: '30' });
    if (path === '/gateway/api/queryTrans.do') {
      const ord = orders.get(req.orderId);
      if (ord) {
        return answer(req, {
          respCode: '00',
          origRespCode: ord.status === 'paid' ? '00' : '05',
          txnAmt: String(ord.paidAmountFen ?? ord.amountFen),
          currencyCode: '156',
          ...(ord.queryId && { queryId: ord.queryId }),
          txnTime: ord.txnTime,
        });
      }
      const ref = refunds.get(req.orderId);
      if (ref)
        return answer(req, {
          respCode: '00',
          origRespCode: '00',
          txnAmt: String(ref.amountFen),
          queryId: ref.queryId,
          txnTime: ref.txnTime,
        });
      return answer(req, { respCode: '34' }); // 查无此交易
    }
    if (path !== '/gateway/api/backTransReq.do') return answer(req, { respCode: '10' });
    const amt = /^[0-9]{1,12}$/.test(req.txnAmt ?? '') ? Number(req.txnAmt) : 0;
    if (!/^[0-9A-Za-z]{8,40}$/.test(req.orderId ?? '') || amt <= 0) return answer(req, { respCode: '10' });
    if (req.txnType === '01' && req.txnSubType === '07') {
      if (orders.has(req.orderId) || refunds.has(req.orderId)) return answer(req, { respCode: '12' });
      orders.set(req.orderId, {
        orderId: req.orderId,
        amountFen: amt,
        backUrl: req.backUrl ?? '',
        status: 'unpaid',
        txnTime: req.txnTime,
        refundedFen: 0,
      });
      return answer(req, { respCode: '00', qrCode: `https://qr.95516.com/00010000/${req.orderId}` });
    }
    if (req.txnType === '04') {
      if (refunds.has(req.orderId) || orders.has(req.orderId)) return answer(req, { respCode: '12' });
      const orig = [...orders.values()].find((x) => x.queryId && x.queryId === req.origQryId);
      if (!orig) return answer(req, { respCode: '35' }); // 原交易不存在
      if (amt + orig.refundedFen > (orig.paidAmountFen ?? orig.amountFen))
        return answer(req, { respCode: '61' });
      orig.refundedFen += amt;
      const queryId = `${beijing()}${String(++seq).padStart(7, '0')}`;
      refunds.set(req.orderId, {
        orderId: req.orderId,
        origOrderId: orig.orderId,
        queryId,
        amountFen: amt,
        txnTime: req.txnTime,
      });
      return answer(req, { respCode: '00', queryId, origQryId: req.origQryId ?? '' });
    }
    return answer(req, { respCode: '10' });
  };

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    let fields: Fields;
    try {
      fields = parseForm(body);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const out = handle(fields, req.url ?? '');
    res
      .writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' })
      .end(encodeForm(out));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const notification = (orderId: string, n: NotifyOptions = {}): SandboxNotification => {
    const ord = orders.get(orderId);
    if (!ord?.queryId) throw new Error(`the sandbox has no paid order ${orderId}`);
    const f: Fields = {
      accessType: '0',
      bizType: '000000',
      txnType: '01',
      txnSubType: '07',
      merId: n.merId ?? o.merId,
      orderId,
      txnTime: ord.txnTime,
      txnAmt: String(n.amountFen ?? ord.paidAmountFen ?? ord.amountFen),
      currencyCode: '156',
      queryId: ord.queryId,
      traceNo: ord.queryId.slice(-6),
      traceTime: ord.txnTime.slice(4),
      settleAmt: String(n.amountFen ?? ord.paidAmountFen ?? ord.amountFen),
      settleCurrencyCode: '156',
      settleDate: ord.txnTime.slice(4, 8),
      respCode: '00',
      respMsg: '成功[0000000]',
    };
    const cert = n.untrusted ? stranger : n.expired ? expired : n.otherCn ? otherCn : signer;
    return { url: ord.backUrl, body: encodeForm(signed(f, cert, n.forged ? forger : cert.key)) };
  };

  const deliver = async (n: SandboxNotification) => {
    const r = await fetch(n.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: n.body,
    });
    return { status: r.status, body: await r.text() };
  };

  return {
    url,
    rootCert: root.pem,
    middleCert: middle.pem,
    orders: () => orders,
    refunds: () => refunds,
    pay(orderId, n = {}) {
      const ord = orders.get(orderId);
      if (!ord) throw new Error(`the sandbox has no order ${orderId}`);
      if (!ord.queryId) {
        ord.status = 'paid';
        ord.queryId = `${beijing()}${String(++seq).padStart(7, '0')}`;
        if (n.amountFen !== undefined) ord.paidAmountFen = n.amountFen;
      }
      return notification(orderId, n);
    },
    notification,
    deliver,
    tamper(n) {
      const m = /txnAmt=(\d)/.exec(n.body);
      if (!m) throw new Error('no txnAmt to tamper with');
      const d = m[1] === '9' ? '8' : String(Number(m[1]) + 1);
      return { url: n.url, body: n.body.replace(/txnAmt=\d/, `txnAmt=${d}`) };
    },
    queue: (n) => void pending.push(n),
    async release(r = {}) {
      const list = pending.splice(0);
      if (r.reverse) list.reverse();
      const out = [];
      for (const n of list) {
        if (r.delayMs) await new Promise((x) => setTimeout(x, r.delayMs));
        out.push(await deliver(n));
      }
      return out;
    },
    statement(date) {
      const day = date.replace(/-/g, '');
      const rows = [STATEMENT_HEADER];
      for (const x of orders.values())
        if (x.queryId && x.txnTime.startsWith(day))
          rows.push(
            [
              '01',
              x.queryId,
              x.orderId,
              '',
              String(x.paidAmountFen ?? x.amountFen),
              String(o.feeFen ?? 0),
              x.txnTime,
            ].join('|'),
          );
      for (const x of refunds.values())
        if (x.txnTime.startsWith(day))
          rows.push(
            [
              '04',
              x.queryId,
              x.orderId,
              orders.get(x.origOrderId)?.queryId ?? '',
              String(x.amountFen),
              '0',
              x.txnTime,
            ].join('|'),
          );
      const content = `${rows.join('\n')}\n`;
      const path = join(mkdtempSync(join(tmpdir(), 'unionpay-sandbox-')), `ZM_${o.merId}_${day}.txt`);
      writeFileSync(path, content);
      return { path, content };
    },
    answered: () => ({ ...counts }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
