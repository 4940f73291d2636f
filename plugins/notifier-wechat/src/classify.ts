import { type Disposition, isAppError } from '@quadmeter/sdk';
import { WechatApiError, WechatTransportError } from './errors.ts';

// The errcodes and their meanings come from the official 全局返回码 (global return code) list and
// the template-message and access_token pages (43004 需要接收者关注, 43101 user refuse to accept the
// msg, 45009 daily API quota — 调用超过天级别频率限制, 45011 minute quota, 40003 invalid openid,
// 40037 invalid template_id …), collected in INTEGRATIONS.md §1.2–1.3.

/**
 * Send-time errcodes worth another attempt later: system busy, API/quota limits and the
 * per-openid frequency limit; and the token errors, which reach the caller only after one refresh
 * and resend already failed (another fetcher rotated the token meanwhile).
 */
export const RETRY_ERRCODES: ReadonlySet<number> = new Set([-1, 45009, 45011, 43117, 40001, 40014, 42001]);

/**
 * Errcodes of the token fetch worth another attempt: busy and rate limits. Everything else there
 * (40001 wrong AppSecret, 40013 bad AppID, 40125, 40164 IP not whitelisted, 41002/41004) is
 * configuration that a retry cannot mend.
 */
export const TOKEN_RETRY_ERRCODES: ReadonlySet<number> = new Set([-1, 45009, 45011]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const RETRY_APP_CODES = new Set([
  'SERVICE_UNAVAILABLE',
  'DB_UNAVAILABLE',
  'PLUGIN_UNAVAILABLE',
  'PLUGIN_HOOK_TIMEOUT',
]);

/**
 * Retry what may pass later (busy, rate limits, network, 5xx/429, an answer that was no API
 * answer); drop what will fail the same way again (unfollowed or refused recipient 43004/43101/
 * 48002, bad openid 40003, bad template 40036/40037, bad data 47003, not authorised 48001,
 * configuration, malformed messages) and anything unrecognised.
 */
export function classifyWechat(error: unknown): Disposition {
  if (error instanceof WechatApiError)
    return (error.stage === 'token' ? TOKEN_RETRY_ERRCODES : RETRY_ERRCODES).has(error.errcode)
      ? 'retry'
      : 'drop';
  if (error instanceof WechatTransportError) {
    const s = error.status;
    return s === undefined || s < 400 || s >= 500 || s === 429 ? 'retry' : 'drop';
  }
  if (isAppError(error)) return RETRY_APP_CODES.has(error.code) ? 'retry' : 'drop';
  if (error instanceof Error) {
    if (error.name === 'AbortError' || error.name === 'TimeoutError') return 'retry';
    const code = (error as { code?: unknown }).code;
    const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
    if (NETWORK_CODES.has(String(code)) || NETWORK_CODES.has(String(causeCode))) return 'retry';
  }
  return 'drop';
}
