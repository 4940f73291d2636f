import { AppError } from '@quadmeter/sdk';
import { describe, expect, it } from 'vitest';
import { classifyEmail } from './classify.ts';

/** The shape nodemailer gives its errors: `code` (type), `responseCode`, `originalCode`. */
const smtp = (code: string, responseCode?: number, originalCode?: string) =>
  Object.assign(new Error(`${code} ${responseCode ?? ''}`), {
    code,
    ...(responseCode !== undefined && { responseCode }),
    ...(originalCode !== undefined && { originalCode }),
  });

describe('classifyEmail', () => {
  it.each([
    [421, 'retry'],
    [450, 'retry'],
    [451, 'retry'],
    [452, 'retry'],
    [454, 'retry'],
    [500, 'drop'],
    [535, 'drop'],
    [550, 'drop'],
    [552, 'drop'],
    [553, 'drop'],
    [554, 'drop'],
  ] as const)('an SMTP reply %i → %s', (code, want) => {
    expect(classifyEmail(smtp('EENVELOPE', code))).toBe(want);
    expect(classifyEmail(smtp('EAUTH', code))).toBe(want);
  });

  it('retries broken connections and drops untrusted certificates', () => {
    expect(classifyEmail(smtp('ESOCKET', undefined, 'ECONNREFUSED'))).toBe('retry');
    expect(classifyEmail(smtp('ECONNECTION'))).toBe('retry');
    expect(classifyEmail(smtp('ETIMEDOUT'))).toBe('retry');
    expect(classifyEmail(smtp('EDNS', undefined, 'EAI_AGAIN'))).toBe('retry');
    expect(classifyEmail(smtp('EPROTOCOL'))).toBe('retry');
    expect(classifyEmail(smtp('ESOCKET', undefined, 'CERT_HAS_EXPIRED'))).toBe('drop');
    expect(classifyEmail(smtp('ESOCKET', undefined, 'DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe('drop');
    expect(classifyEmail(smtp('ETLS', undefined, 'ERR_TLS_CERT_ALTNAME_INVALID'))).toBe('drop');
  });

  it('drops malformed envelopes, messages and configuration errors', () => {
    expect(classifyEmail(smtp('EENVELOPE'))).toBe('drop');
    expect(classifyEmail(smtp('EMESSAGE'))).toBe('drop');
    expect(classifyEmail(smtp('ECONFIG'))).toBe('drop');
    expect(classifyEmail(smtp('EAUTH'))).toBe('drop');
  });

  it('maps core errors, bare network errors and anything else', () => {
    expect(classifyEmail(new AppError('SERVICE_UNAVAILABLE'))).toBe('retry');
    expect(classifyEmail(new AppError('REQ_VALIDATION'))).toBe('drop');
    expect(classifyEmail(new AppError('PLUGIN_SETTINGS_INVALID'))).toBe('drop');
    expect(classifyEmail(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('retry');
    expect(classifyEmail(new DOMException('t', 'TimeoutError'))).toBe('retry');
    expect(classifyEmail(new TypeError('x is not a function'))).toBe('drop');
    expect(classifyEmail({ responseCode: 451 })).toBe('retry');
    for (const v of [undefined, null, 'text', 42, { code: 'ECONNRESET' }])
      expect(classifyEmail(v)).toBe('drop');
  });
});
