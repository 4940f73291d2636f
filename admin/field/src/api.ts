import { reactive } from 'vue';

/** The session the app holds: the CSRF token for writes and who is logged in. */
export const session = reactive({
  csrf: '',
  user: null as null | { username: string; displayName: string },
  permissions: [] as string[],
});

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A network failure (offline): the request never reached the server. */
export class OfflineError extends Error {}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers['x-csrf-token'] = session.csrf;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new OfflineError('offline');
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok)
    throw new ApiError(res.status, json?.error?.code ?? 'UNKNOWN', json?.error?.message ?? res.statusText);
  return json as T;
}

interface SessionBody {
  csrfToken: string;
  user: { username: string; displayName: string };
  permissions: string[];
}

const SAVED = 'qm-field-session';

function keep(s: SessionBody) {
  session.csrf = s.csrfToken;
  session.user = s.user;
  session.permissions = s.permissions;
  // who is logged in (not the CSRF token), so the app opens offline
  localStorage.setItem(SAVED, JSON.stringify({ user: s.user, permissions: s.permissions }));
}

export async function login(tenant: string, username: string, password: string) {
  keep(await api<SessionBody>('POST', '/auth/login', { tenant, username, password }));
}

/** The current session, or false when there is none. */
export async function restore(): Promise<boolean> {
  try {
    keep(await api<SessionBody>('GET', '/auth/me'));
    return true;
  } catch (e) {
    if (e instanceof ApiError) {
      localStorage.removeItem(SAVED);
      return false;
    }
    // offline: the last session's user, until the server can be asked again
    const saved = localStorage.getItem(SAVED);
    if (!saved) return false;
    const s = JSON.parse(saved) as Omit<SessionBody, 'csrfToken'>;
    session.user = s.user;
    session.permissions = s.permissions;
    return true;
  }
}

export const can = (permission: string) => session.permissions.includes(permission);

export type FieldState =
  | 'not-read-today'
  | 'failed-read'
  | 'offline-concentrator'
  | 'valve-closed'
  | 'in-arrears';

export interface WorkItem {
  id: string;
  assetNo: string;
  kind: string;
  control: 'none' | 'valve' | 'relay';
  keepPower: boolean;
  areaName: string;
  location: string | null;
  distanceM: number | null;
  accountNo: string | null;
  customerName: string | null;
  lastValue: string | null;
  lastTs: string | null;
  balanceFen: string | null;
  states: FieldState[];
}

export interface ManualEntry {
  key: string;
  ts: string;
  value: string;
  note: string;
  hasPhoto: boolean;
  enteredByName: string;
}

export interface MeterCard {
  meter: WorkItem;
  readings: {
    kind: string;
    ts: string;
    value: string | null;
    status: { fields: Record<string, boolean | string> } | null;
  }[];
  manual: ManualEntry[];
}

export interface Command {
  id: string;
  action: string;
  status: string;
  verified: boolean | null;
  createdAt: string;
}
