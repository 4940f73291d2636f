import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign, signatureMatches } from '../src/sign.ts';

/** What the sandbox does with the next requests that pass the signature check. */
export type SandboxFault = '503' | 'timeout' | 'bad-number';

export interface SandboxOptions {
  appKey: string;
  appSecret: string;
  /** a timestamp further than this from the sandbox clock is stale (ms, default 5 minutes) */
  maxSkewMs?: number;
  /** how long a 'timeout' fault holds the request before dropping the connection (ms) */
  hangMs?: number;
}

export interface SandboxMessage {
  messageId: string;
  providerId: string;
  to: string;
  signName: string;
  content: string;
  at: string;
}

export interface SmsSandbox {
  /** the send URL to configure as the plugin's `endpoint` */
  url: string;
  /** messages delivered (after dedupe), optionally of one message id */
  deliveries(messageId?: string): number;
  messages(): SandboxMessage[];
  /** requests answered by status (200, 400, 401, 503 …) and 'timeout' */
  answered(): Record<string, number>;
  /** the next `times` signed requests meet this fault instead of being delivered */
  failNext(fault: SandboxFault, times?: number): void;
  /** forgets faults not yet met */
  clearFaults(): void;
  close(): Promise<void>;
}

const PHONE = /^1[3-9]\d{9}$/;

function reply(res: ServerResponse, status: number, body: Record<string, unknown>) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

/**
 * A local SMS gateway that behaves like a real signed one over loopback: it checks the HMAC
 * signature over the exact body, refuses stale timestamps and replayed nonces, validates the
 * number, dedupes by our message id (a repeat answers `duplicate: true` and the first provider
 * id, delivering nothing), counts deliveries, and can be told to fail the next requests
 * transiently (503, or hanging until the client gives up) or permanently (400 bad number).
 */
export async function startSmsSandbox(o: SandboxOptions): Promise<SmsSandbox> {
  const maxSkew = o.maxSkewMs ?? 300_000;
  const byMessage = new Map<string, SandboxMessage>();
  const nonces = new Map<string, number>();
  const answered: Record<string, number> = {};
  const faults: SandboxFault[] = [];
  const hanging = new Set<ServerResponse>();
  const count = (k: string | number) => {
    answered[k] = (answered[k] ?? 0) + 1;
  };
  const answer = (res: ServerResponse, status: number, body: Record<string, unknown>) => {
    count(status);
    reply(res, status, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== '/v1/sms/send')
      return answer(res, 404, { code: 'NOT_FOUND', message: 'no such endpoint' });
    const body = await readBody(req, 64 * 1024);
    if (!body) return answer(res, 413, { code: 'TOO_LARGE', message: 'body too large' });
    const h = (n: string) => (typeof req.headers[n] === 'string' ? (req.headers[n] as string) : '');
    const [key, ts, nonce, sig] = [h('x-app-key'), h('x-timestamp'), h('x-nonce'), h('x-signature')];
    if (key !== o.appKey) return answer(res, 401, { code: 'APP_KEY_UNKNOWN', message: 'unknown app key' });
    if (!signatureMatches(sign(o.appSecret, key, ts, nonce, body), sig))
      return answer(res, 401, { code: 'SIGNATURE_INVALID', message: 'signature mismatch' });
    const now = Date.now();
    if (!/^\d{13}$/.test(ts) || Math.abs(now - Number(ts)) > maxSkew)
      return answer(res, 401, { code: 'TIMESTAMP_STALE', message: 'timestamp outside the window' });
    if (!/^[0-9a-f]{16,64}$/.test(nonce) || nonces.has(nonce))
      return answer(res, 401, { code: 'NONCE_REPLAYED', message: 'nonce already used' });
    nonces.set(nonce, now);
    for (const [n, at] of nonces) if (now - at > maxSkew) nonces.delete(n);
    let msg: { messageId?: unknown; to?: unknown; signName?: unknown; content?: unknown };
    try {
      msg = JSON.parse(body.toString('utf8'));
    } catch {
      return answer(res, 400, { code: 'BAD_REQUEST', message: 'body is not JSON' });
    }
    if (typeof msg.messageId !== 'string' || typeof msg.to !== 'string' || typeof msg.content !== 'string')
      return answer(res, 400, { code: 'BAD_REQUEST', message: 'messageId, to and content are required' });
    const seen = byMessage.get(msg.messageId);
    if (seen) return answer(res, 200, { code: 'OK', providerId: seen.providerId, duplicate: true });
    const fault = faults.shift();
    if (fault === '503') return answer(res, 503, { code: 'BUSY', message: 'gateway busy, try later' });
    if (fault === 'timeout') {
      count('timeout');
      hanging.add(res);
      setTimeout(() => {
        hanging.delete(res);
        res.destroy();
      }, o.hangMs ?? 2_000).unref();
      return;
    }
    if (fault === 'bad-number' || !PHONE.test(msg.to))
      return answer(res, 400, { code: 'BAD_NUMBER', message: 'not a mobile number' });
    const delivered: SandboxMessage = {
      messageId: msg.messageId,
      providerId: `sbx-${randomBytes(8).toString('hex')}`,
      to: msg.to,
      signName: typeof msg.signName === 'string' ? msg.signName : '',
      content: msg.content,
      at: new Date(now).toISOString(),
    };
    byMessage.set(msg.messageId, delivered);
    answer(res, 200, { code: 'OK', providerId: delivered.providerId, duplicate: false });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => answer(res, 500, { code: 'INTERNAL', message: 'sandbox error' }));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/sms/send`,
    deliveries: (id) => (id === undefined ? byMessage.size : byMessage.has(id) ? 1 : 0),
    messages: () => [...byMessage.values()],
    answered: () => ({ ...answered }),
    failNext(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    clearFaults() {
      faults.length = 0;
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const r of hanging) r.destroy();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
