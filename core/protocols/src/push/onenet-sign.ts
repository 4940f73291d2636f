import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { fail } from '../common/errors.ts';
import { invalid, isRecord, type Json, parseBody } from './json.ts';
import { rawMember } from './raw-json.ts';

/**
 * OneNET HTTP push authentication: signature = base64(md5(token + nonce + msg)), where msg is the
 * text of the `msg` field (or `enc_msg` in secure mode). The same rule answers the GET that
 * verifies the push URL.
 */
export function oneNetSignature(token: string, nonce: string, msg: string): string {
  return createHash('md5')
    .update(token + nonce + msg, 'utf8')
    .digest('base64');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function badSignature(message: string): never {
  return fail('PAYLOAD_SIGNATURE_INVALID', message);
}

function checkToken(token: unknown): asserts token is string {
  if (typeof token !== 'string' || token === '') badSignature('no token configured to check the signature');
}

/** Query values are URL-decoded by the caller; a '+' decoded to ' ' is put back. */
function signatureParam(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') badSignature(`${field} is missing`);
  return v.replace(/ /g, '+');
}

/**
 * URL verification (GET ?msg&nonce&signature). Returns the `msg` value the server must answer
 * with; throws PAYLOAD_SIGNATURE_INVALID when the signature does not match.
 */
export function verifyOneNetUrl(query: Record<string, unknown> | URLSearchParams, token: string): string {
  checkToken(token);
  const get = (k: string) => (query instanceof URLSearchParams ? (query.get(k) ?? undefined) : query?.[k]);
  const msg = get('msg');
  const nonce = get('nonce');
  if (typeof msg !== 'string' || msg === '') invalid('msg must be a non-empty string');
  if (typeof nonce !== 'string') invalid('nonce must be a string');
  const signature = signatureParam(get('signature'), 'signature');
  if (!sameText(oneNetSignature(token, nonce, msg), signature))
    badSignature('signature does not match msg and nonce');
  return msg;
}

export interface OneNetEnvelope {
  /** studio: `{msg (text), nonce, signature, time, id}`; classic: `{msg | enc_msg, msg_signature, nonce}` */
  form: 'studio' | 'classic';
  /** the signed text */
  msgText: string;
  /** msg as parsed JSON (a string msg is parsed), or undefined when encrypted */
  msg: unknown;
  encrypted: boolean;
  nonce: string;
  time?: number;
  id?: string;
}

/** Checks a data push signature in constant time and returns the verified envelope. */
export function verifyOneNetPush(body: unknown, token: string): OneNetEnvelope {
  checkToken(token);
  const o: Json = parseBody(body);
  const form = o.signature !== undefined ? 'studio' : 'classic';
  const signature = signatureParam(
    form === 'studio' ? o.signature : o.msg_signature,
    form === 'studio' ? 'signature' : 'msg_signature',
  );
  if (typeof o.nonce !== 'string') invalid('nonce must be a string');
  const nonce = o.nonce;
  const encrypted = typeof o.enc_msg === 'string';
  let candidates: string[];
  if (encrypted) candidates = [o.enc_msg as string];
  else if (typeof o.msg === 'string') candidates = [o.msg];
  else if (isRecord(o.msg) || Array.isArray(o.msg)) {
    const text =
      typeof body === 'string'
        ? body
        : body instanceof Uint8Array
          ? Buffer.from(body).toString('utf8')
          : undefined;
    const raw = text === undefined ? undefined : rawMember(text, 'msg');
    candidates = [JSON.stringify(o.msg)];
    if (raw !== undefined) candidates.unshift(raw);
  } else invalid('msg must be JSON text, an object or an array');
  // compare every candidate so timing does not reveal which form matched
  let matched: string | undefined;
  for (const c of candidates)
    if (sameText(oneNetSignature(token, nonce, c), signature) && matched === undefined) matched = c;
  if (matched === undefined) badSignature('signature does not match msg and nonce');
  let msg: unknown = encrypted ? undefined : o.msg;
  if (typeof msg === 'string') msg = parseBody(msg, 'msg');
  const env: OneNetEnvelope = { form, msgText: matched, msg, encrypted, nonce };
  if (typeof o.time === 'number') env.time = o.time;
  if (typeof o.id === 'string') env.id = o.id;
  return env;
}

function aesKeyBytes(aesKey: string): Buffer {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  if (key.length !== 32) invalid('aesKey must be the 43-character key from the OneNET console');
  return key;
}

/** Secure mode: AES-256-CBC, IV = first 16 key bytes; plaintext = 16 random | u32 BE length | msg. */
export function decryptOneNetMsg(encMsg: string, aesKey: string): string {
  const key = aesKeyBytes(aesKey);
  let plain: Buffer;
  try {
    const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    plain = Buffer.concat([d.update(Buffer.from(encMsg, 'base64')), d.final()]);
  } catch {
    return invalid('enc_msg does not decrypt with this aesKey');
  }
  if (plain.length < 20) invalid('enc_msg is too short');
  const len = plain.readUInt32BE(16);
  if (20 + len > plain.length) invalid('enc_msg length prefix exceeds the message');
  return plain.subarray(20, 20 + len).toString('utf8');
}

export function encryptOneNetMsg(msgText: string, aesKey: string): string {
  const key = aesKeyBytes(aesKey);
  const msg = Buffer.from(msgText, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  return Buffer.concat([c.update(Buffer.concat([randomBytes(16), len, msg])), c.final()]).toString('base64');
}

export function randomNonce(): string {
  return randomBytes(6).toString('base64url').slice(0, 8);
}
