import { AppError } from '@quadmeter/sdk';
import { isReady, type ReadyConfig, type UnionpayConfig } from './config.ts';
import { encodeForm, type Fields, parseForm, privateKeyOf, signFields, verifyFields } from './sign.ts';

export function ready(config: UnionpayConfig): ReadyConfig {
  if (!isReady(config)) throw new AppError('PAY_NOT_CONFIGURED');
  return config;
}

/** yyyyMMddHHmmss in Beijing time, as txnTime is written. */
export function txnTime(d = new Date()): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The fields every 5.1.0 request carries. */
export function baseFields(c: ReadyConfig): Fields {
  return {
    version: '5.1.0',
    encoding: 'UTF-8',
    signMethod: '01',
    certId: c.certId,
    accessType: '0',
    merId: c.merId,
  };
}

/**
 * One signed back-channel request (form POST). The answer must carry a valid signature chained to
 * the configured UnionPay certificates and name our merId; its fields are returned as sent.
 */
export async function call(
  c: ReadyConfig,
  path: string,
  fields: Fields,
  signal?: AbortSignal,
): Promise<Fields> {
  const req = { ...baseFields(c), ...fields };
  req.signature = signFields(req, privateKeyOf(c.merchantPrivateKey));
  const timeout = AbortSignal.timeout(c.timeoutMs);
  let res: Response;
  try {
    res = await fetch(new URL(path, c.endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: encodeForm(req),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (err) {
    throw new AppError('PAY_PROVIDER_ERROR', 'The payment provider is not reachable', undefined, {
      cause: err,
    });
  }
  const raw = new Uint8Array(await res.arrayBuffer());
  if (res.status !== 200)
    throw new AppError('PAY_PROVIDER_ERROR', `HTTP ${res.status}`, { status: res.status, code: null });
  const answer = parseForm(raw);
  verifyFields(answer, c);
  if (answer.merId !== undefined && answer.merId !== c.merId)
    throw new AppError('PAY_MERCHANT_MISMATCH', undefined, { merId: answer.merId });
  return answer;
}

/** A non-success respCode as PAY_PROVIDER_ERROR carrying the provider's code. */
export function providerError(a: Fields): AppError {
  return new AppError('PAY_PROVIDER_ERROR', a.respMsg || `respCode ${a.respCode}`, {
    status: 200,
    code: a.respCode ?? null,
  });
}
