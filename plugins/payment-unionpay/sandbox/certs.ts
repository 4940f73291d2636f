import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** Minimal DER writer: enough for an X.509 v3 certificate signed with sha256WithRSAEncryption. */
function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const int = (n: bigint) => {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
};
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const v of rest) {
    const chunk: number[] = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) chunk.unshift(0x80 | (x & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const time = (d: Date) => tlv(0x18, Buffer.from(`${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`));
const name = (cn: string) =>
  seq(set(seq(oid('2.5.4.6'), tlv(0x13, Buffer.from('CN')))), set(seq(oid('2.5.4.3'), utf8(cn))));
const SHA256_RSA = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

export interface Issued {
  pem: string;
  key: KeyObject;
}

/**
 * A certificate for `subjectCn` over a new RSA-2048 key, signed by `issuer` (self-signed when
 * absent); CA certificates carry basicConstraints cA=true.
 */
export function issue(
  subjectCn: string,
  o: {
    issuer?: { cn: string; key: KeyObject };
    ca?: boolean;
    notBefore?: Date;
    notAfter?: Date;
    serial?: bigint;
  },
): Issued {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  const notBefore = o.notBefore ?? new Date(Date.now() - 86_400_000);
  const notAfter = o.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const ext = o.ca
    ? [
        tlv(
          0xa3,
          seq(
            seq(
              oid('2.5.29.19'),
              Buffer.from([0x01, 0x01, 0xff]),
              tlv(0x04, seq(Buffer.from([0x01, 0x01, 0xff]))),
            ),
          ),
        ),
      ]
    : [];
  const tbs = seq(
    tlv(0xa0, int(2n)),
    int(o.serial ?? BigInt(Date.now())),
    SHA256_RSA,
    name(o.issuer?.cn ?? subjectCn),
    seq(time(notBefore), time(notAfter)),
    name(subjectCn),
    spki,
    ...ext,
  );
  const sig = createSign('sha256')
    .update(tbs)
    .sign(o.issuer?.key ?? pair.privateKey);
  const der = seq(tbs, SHA256_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), sig])));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return { pem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`, key: pair.privateKey };
}
