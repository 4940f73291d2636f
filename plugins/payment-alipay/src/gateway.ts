import { AppError, Money } from '@quadmeter/sdk';
import { type AlipayConfig, isReady, type ReadyConfig } from './config.ts';
import { beijingText, privateKeyOf, publicKeyOf, rsa2Sign, rsa2Verify, signContent } from './sign.ts';

export function ready(config: AlipayConfig): ReadyConfig {
  if (!isReady(config)) throw new AppError('PAY_NOT_CONFIGURED');
  return config;
}

/** '12.30' (yuan) from the provider → 1230 fen by the digits; anything else is the provider's error. */
export function fenOf(yuan: string | undefined, what: string): number {
  try {
    const fen = Money.fromYuan(yuan ?? '');
    if (fen >= 0) return fen;
  } catch {}
  throw new AppError('PAY_PROVIDER_ERROR', `${what} is not an amount in yuan`, { [what]: yuan ?? null });
}

/** The JSON text of the value under `key` at the top level of `text`, exactly as sent. */
export function rawMember(text: string, key: string): string | undefined {
  const at = text.indexOf(`"${key}"`);
  if (at < 0) return undefined;
  let i = text.indexOf('{', at + key.length + 2);
  if (i < 0 || text.slice(at + key.length + 2, i).trim() !== ':') return undefined;
  const start = i;
  let depth = 0;
  let inString = false;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

export interface GatewayAnswer {
  code?: string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
  [field: string]: unknown;
}

/**
 * One gateway call (`method`, `biz_content`), signed RSA2 with the app key. The answer's
 * `<method>_response` node must verify, on its exact text, with the Alipay public key
 * (PAY_SIGNATURE_INVALID otherwise); `code` 10000 is success, anything else is returned for the
 * caller to read (`sub_code`), a non-2xx HTTP status is PAY_PROVIDER_ERROR.
 */
export async function gateway(
  c: ReadyConfig,
  method: string,
  biz: Record<string, unknown>,
  extra: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<GatewayAnswer> {
  const params: Record<string, string> = {
    app_id: c.appId,
    method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: beijingText(new Date()),
    version: '1.0',
    ...extra,
    biz_content: JSON.stringify(biz),
  };
  params.sign = rsa2Sign(signContent(params, true), privateKeyOf(c.appPrivateKey));
  const timeout = AbortSignal.timeout(c.timeoutMs);
  let res: Response;
  try {
    res = await fetch(c.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams(params).toString(),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (err) {
    throw new AppError('PAY_PROVIDER_ERROR', 'The payment provider is not reachable', undefined, {
      cause: err,
    });
  }
  const text = await res.text();
  if (res.status >= 300)
    throw new AppError('PAY_PROVIDER_ERROR', `HTTP ${res.status}`, { status: res.status, code: null });
  const node = `${method.replaceAll('.', '_')}_response`;
  const raw = rawMember(text, node);
  let parsed: { sign?: unknown };
  try {
    parsed = JSON.parse(text) as { sign?: unknown };
  } catch {
    throw new AppError('PAY_PROVIDER_ERROR', 'The provider answered something other than JSON');
  }
  if (
    !raw ||
    typeof parsed.sign !== 'string' ||
    !rsa2Verify(raw, publicKeyOf(c.alipayPublicKey), parsed.sign)
  )
    throw new AppError('PAY_SIGNATURE_INVALID', 'The gateway answer is not signed by Alipay');
  return JSON.parse(raw) as GatewayAnswer;
}

/** A business failure answer as PAY_PROVIDER_ERROR carrying the provider's codes. */
export function failure(a: GatewayAnswer): AppError {
  return new AppError('PAY_PROVIDER_ERROR', a.sub_msg ?? a.msg ?? 'The provider refused the request', {
    code: a.sub_code ?? a.code ?? null,
  });
}
