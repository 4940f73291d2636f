import { BlockList, isIP } from 'node:net';

/** Says whether a peer address is a proxy whose X-Forwarded-* headers we believe. */
export type TrustProxy = (address: string) => boolean;

const NAMED: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `::ffff:1.2.3.4` → `1.2.3.4`, so IPv4 rules match IPv4 peers on dual-stack sockets. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

function family(address: string): 'ipv4' | 'ipv6' | null {
  const v = isIP(address);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : null;
}

/**
 * Parses QUADMETER_TRUST_PROXY: empty or `off` trusts nobody; otherwise a comma list of
 * addresses, CIDR ranges and the names `loopback` and `private`. Throws on an entry it cannot read.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const entries = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0 || (entries.length === 1 && ['off', 'false', 'none'].includes(entries[0])))
    return () => false;
  const list = new BlockList();
  for (const entry of entries.flatMap((e) => NAMED[e.toLowerCase()] ?? [e])) {
    const [addr, bits, extra] = entry.split('/');
    const fam = family(addr);
    const prefix = bits === undefined ? undefined : Number(bits);
    const max = fam === 'ipv4' ? 32 : 128;
    if (
      !fam ||
      extra !== undefined ||
      (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max))
    )
      throw new Error(`not an address, CIDR range, "loopback" or "private": ${entry}`);
    if (prefix === undefined) list.addAddress(addr, fam);
    else list.addSubnet(addr, prefix, fam);
  }
  return (address) => {
    const a = normalizeAddress(address);
    const fam = family(a);
    return fam !== null && list.check(a, fam);
  };
}

/** An X-Forwarded-For element without the port or brackets some proxies add. */
function forwardedAddress(element: string): string | null {
  const s = element.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  const v4port = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(s);
  const a = normalizeAddress(bracketed?.[1] ?? v4port?.[1] ?? s);
  return isIP(a) ? a : null;
}

/**
 * The client address: the socket peer, unless it is a trusted proxy; then X-Forwarded-For is read
 * from the right, skipping trusted proxies, and the first untrusted address is the client.
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, trusted: TrustProxy): string {
  let client = normalizeAddress(peer);
  if (!forwardedFor || !trusted(client)) return client;
  const hops = forwardedFor.split(',').reverse();
  for (const hop of hops) {
    const a = forwardedAddress(hop);
    if (!a) break; // garbage: believe nothing further left
    client = a;
    if (!trusted(a)) break;
  }
  return client;
}

/** The scheme the client used: X-Forwarded-Proto (its first value) only from a trusted peer. */
export function originalScheme(
  socketScheme: string,
  peer: string,
  forwardedProto: string | undefined,
  trusted: TrustProxy,
): 'http' | 'https' {
  const own = socketScheme === 'https' ? 'https' : 'http';
  if (!forwardedProto || !trusted(normalizeAddress(peer))) return own;
  const first = forwardedProto.split(',')[0].trim().toLowerCase();
  return first === 'https' ? 'https' : first === 'http' ? 'http' : own;
}
