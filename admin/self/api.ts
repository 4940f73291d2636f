/** The self-service API (same origin; the customer cookie rides along). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api/v1/self${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? 'HTTP', json?.error?.message ?? res.statusText);
  return json as T;
}

export interface Account {
  id: string;
  number: string;
  customerName: string;
  status: string;
  balanceFen: string;
  prepaidState: string | null;
  dailyChargeFen: string;
  daysLeft: number | null;
  meters?: { id: string; kind: string; assetNo: string; location: string | null }[];
}

export interface Point {
  label: string;
  usage: string;
  lastYear: string | null;
}

export interface Order {
  id: string;
  orderNo: string;
  status: string;
  amountFen: string;
  paymentId: string | null;
  action: Record<string, unknown>;
}

/** 5000 → "50.00" (integer fen, never a float). */
export function yuan(fen: string | number | bigint): string {
  const v = BigInt(fen);
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

/** "50" / "50.5" / "50.05" → 5005 fen; undefined when it is not an amount. */
export function toFen(text: string): number | undefined {
  const m = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
