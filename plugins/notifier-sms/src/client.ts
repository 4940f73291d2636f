import { randomBytes } from 'node:crypto';
import type { NotifyMessage, SendResult } from '@quadmeter/sdk';
import { isReady, type SmsConfig } from './config.ts';
import { sign } from './sign.ts';

/** A failure the gateway answered (`status` its HTTP status) or a transport failure (`status` 0). */
export class SmsGatewayError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SmsGatewayError';
    this.code = code;
    this.status = status;
  }
}

interface GatewayAnswer {
  code?: unknown;
  message?: unknown;
  providerId?: unknown;
  duplicate?: unknown;
}

/**
 * Sends one SMS: a JSON POST signed with HMAC-SHA256 over key, timestamp, nonce and the body's
 * digest. Our message id travels as `messageId`; the gateway dedupes by it and answers
 * `duplicate: true` with the first send's provider id when it had it already.
 */
export async function sendSms(
  config: SmsConfig,
  m: NotifyMessage,
  signal?: AbortSignal,
): Promise<SendResult> {
  if (!isReady(config))
    throw new SmsGatewayError('SMS_NOT_CONFIGURED', 503, 'the SMS gateway account is not configured');
  const cfg = config;
  const body = JSON.stringify({
    messageId: m.id,
    to: m.to,
    signName: cfg.signName,
    template: m.template ?? null,
    content: m.body,
    params: m.data ?? {},
  });
  const timestamp = String(Date.now());
  const nonce = randomBytes(16).toString('hex');
  const timeout = AbortSignal.timeout(cfg.timeoutMs);
  let res: Response;
  try {
    res = await fetch(cfg.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-app-key': cfg.appKey,
        'x-timestamp': timestamp,
        'x-nonce': nonce,
        'x-signature': sign(cfg.appSecret, cfg.appKey, timestamp, nonce, body),
      },
      body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (err) {
    const timedOut = timeout.aborted;
    throw new SmsGatewayError(
      timedOut ? 'SMS_TIMEOUT' : 'SMS_UNREACHABLE',
      0,
      timedOut ? `no answer within ${cfg.timeoutMs} ms` : 'the SMS gateway is not reachable',
      { cause: err },
    );
  }
  let answer: GatewayAnswer = {};
  try {
    answer = (await res.json()) as GatewayAnswer;
  } catch {
    answer = {};
  }
  const code = typeof answer.code === 'string' ? answer.code.slice(0, 64) : `HTTP_${res.status}`;
  if (!res.ok || code !== 'OK') {
    const message = typeof answer.message === 'string' ? answer.message.slice(0, 300) : res.statusText;
    throw new SmsGatewayError(code === 'OK' ? `HTTP_${res.status}` : code, res.status, message);
  }
  if (typeof answer.providerId !== 'string' || answer.providerId === '')
    throw new SmsGatewayError('SMS_BAD_ANSWER', res.status, 'the gateway answered without a message id');
  return { providerId: answer.providerId, duplicate: answer.duplicate === true };
}
