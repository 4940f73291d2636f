import { randomBytes } from 'node:crypto';
import { AppError } from '@quadmeter/sdk';
import { isReady, type ReadyConfig, type WechatConfig } from './config.ts';
import { keyRing, privateKeyOf, requestMessage, rsaSign, signedHeaders, verifySigned } from './sign.ts';

export function ready(config: WechatConfig): ReadyConfig {
  if (!isReady(config)) throw new AppError('PAY_NOT_CONFIGURED');
  return config;
}

export const nonce = () => randomBytes(16).toString('hex');

/** The Authorization header of a merchant request (WECHATPAY2-SHA256-RSA2048). */
export function authorization(c: ReadyConfig, method: string, pathAndQuery: string, body: string): string {
  const ts = String(Math.floor(Date.now() / 1000));
  const n = nonce();
  const signature = rsaSign(
    requestMessage(method, pathAndQuery, ts, n, body),
    privateKeyOf(c.merchantPrivateKey),
  );
  return `WECHATPAY2-SHA256-RSA2048 mchid="${c.mchid}",nonce_str="${n}",signature="${signature}",timestamp="${ts}",serial_no="${c.merchantSerial}"`;
}

/**
 * One signed API call. The answer must carry a valid platform signature (same rules as a
 * callback); a non-2xx answer is PAY_PROVIDER_ERROR with the provider's code, 404 is `undefined`.
 */
export async function call<T>(
  c: ReadyConfig,
  method: 'GET' | 'POST',
  pathAndQuery: string,
  payload?: unknown,
  signal?: AbortSignal,
): Promise<{ status: number; body: T }> {
  const body = payload === undefined ? '' : JSON.stringify(payload);
  const timeout = AbortSignal.timeout(c.timeoutMs);
  let res: Response;
  try {
    res = await fetch(new URL(pathAndQuery, c.endpoint), {
      method,
      headers: {
        authorization: authorization(c, method, pathAndQuery, body),
        accept: 'application/json',
        ...(payload !== undefined && { 'content-type': 'application/json' }),
      },
      ...(payload !== undefined && { body }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (err) {
    throw new AppError('PAY_PROVIDER_ERROR', 'The payment provider is not reachable', undefined, {
      cause: err,
    });
  }
  const raw = new Uint8Array(await res.arrayBuffer());
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k] = v;
  });
  verifySigned(signedHeaders(headers), raw, keyRing(c.platformKeys), c.maxSkewSec);
  const text = Buffer.from(raw).toString('utf8');
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    throw new AppError('PAY_PROVIDER_ERROR', 'The provider answered something other than JSON');
  }
  if (res.status >= 300 && res.status !== 404) {
    const p = parsed as { code?: string; message?: string };
    throw new AppError('PAY_PROVIDER_ERROR', p.message ?? `HTTP ${res.status}`, {
      status: res.status,
      code: p.code ?? null,
    });
  }
  return { status: res.status, body: parsed as T };
}
