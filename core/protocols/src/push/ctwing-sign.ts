import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CTWing (AEP) open-API request signature (PROTOCOLS-CONTROL.md §4.1, the platform's SDK core):
 * Base64 of HMAC-SHA1 keyed with the AppSecret over `application:<AppKey>\n`,
 * `timestamp:<ms>\n`, one `name:value\n` line per query parameter and the `MasterKey` header,
 * sorted by name, and the body followed by `\n` when a body is sent.
 */
export function ctwingSignature(o: {
  appKey: string;
  appSecret: string;
  timestamp: string | number;
  /** query parameters plus MasterKey (when the call carries one) */
  params?: Readonly<Record<string, string>>;
  body?: string;
}): string {
  let text = `application:${o.appKey}\ntimestamp:${String(o.timestamp)}\n`;
  const params = o.params ?? {};
  for (const name of Object.keys(params).sort()) text += `${name}:${params[name]}\n`;
  if (o.body !== undefined && o.body !== '') text += `${o.body}\n`;
  return createHmac('sha1', o.appSecret).update(text, 'utf8').digest('base64');
}

/** True when `given` is the signature of the request, compared in constant time. */
export function verifyCtwingSignature(
  given: string | undefined,
  o: Parameters<typeof ctwingSignature>[0],
): boolean {
  if (!given || !o.appSecret) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(ctwingSignature(o), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
