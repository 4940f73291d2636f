import type { GatewayAddress, GatewayRef, LineRef, MeterTarget } from '@quadmeter/sdk';

/** Key of a concentrator in the session table: A1 upper case, A2 decimal ('3501-1'). */
export const gatewayKey = (g: GatewayAddress): string => `${g.a1.toUpperCase()}-${g.a2}`;

const A1 = /^[0-9A-Fa-f]{4}$/;

function valid(a1: unknown, a2: unknown): GatewayAddress | undefined {
  const n = typeof a2 === 'string' && /^\d{1,5}$/.test(a2) ? Number(a2) : a2;
  if (typeof a1 !== 'string' || !A1.test(a1)) return undefined;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) return undefined;
  return { a1: a1.toUpperCase(), a2: n };
}

/**
 * The A1/A2 a gateway reference names: `params.a1` / `params.a2`, or the address written
 * '3501-1' (also '3501/1', '3501:1'; A2 decimal).
 */
export function gatewayAddress(g: GatewayRef | undefined): GatewayAddress | undefined {
  if (!g) return undefined;
  const fromParams = valid(g.params?.a1, g.params?.a2);
  if (fromParams) return fromParams;
  const m = /^([0-9A-Fa-f]{4})[-/:](\d{1,5})$/.exec(g.address.trim());
  return m ? valid(m[1], m[2]) : undefined;
}

/** The concentrator a read names: the line's gateway, else the first meter's concentrator route. */
export function requestGateway(line: LineRef, meters: readonly MeterTarget[]): GatewayAddress | undefined {
  const own = gatewayAddress(line.gateway);
  if (own) return own;
  const r = meters.find((m) => m.route?.via === 'concentrator')?.route;
  return r?.via === 'concentrator' ? valid(r.gateway.a1, r.gateway.a2) : undefined;
}

/** A meter's measuring point (pn): its concentrator route, else `params.point`. */
export function meterPoint(m: MeterTarget): number | undefined {
  const p = m.route?.via === 'concentrator' ? m.route.point : m.params?.point;
  return typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 2040 ? p : undefined;
}

/** The terminal port a meter hangs on (AFN 10 forwarding, AFN 04 F10), when it names one. */
export function meterPort(m: { params?: Readonly<Record<string, unknown>> }): number | undefined {
  const p = m.params?.port;
  return typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 31 ? p : undefined;
}
