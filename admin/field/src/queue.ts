import { ref } from 'vue';
import { ApiError, api, OfflineError, restore, session } from './api.ts';

/**
 * Manual readings entered on the phone wait here (IndexedDB) until the server has them. Each has
 * the idempotency key made when it was entered, so sending it twice (a lost answer, two tabs) stores
 * it once. Sent on start, after entering, whenever the browser comes back `online`, and every
 * RETRY_MS while any waits (a send cut short by a dropped or busy network is tried again without the
 * user doing anything).
 */
export interface PendingReading {
  key: string;
  meterId: string;
  value: string;
  at: string;
  note: string;
  photo?: { type: string; data: string };
  /** the server refused it (a 4xx other than auth): kept to show, not resent */
  error?: string;
}

const DB = 'qm-field';
const STORE = 'pending';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return await new Promise<T>((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => {
      db.close();
      resolve(req.result);
    };
    tx.onerror = () => reject(tx.error);
  });
}

/** How many readings wait; the pages watch it. */
export const pendingCount = ref(0);
/** Bumped after each reading the server took, so a meter page reloads its card. */
export const syncedTick = ref(0);

export async function pending(): Promise<PendingReading[]> {
  const all = await run<PendingReading[]>('readonly', (s) => s.getAll());
  pendingCount.value = all.filter((p) => !p.error).length;
  return all;
}

export async function enqueue(p: PendingReading) {
  await run('readwrite', (s) => s.put(p));
  await pending();
}

let flushing: Promise<void> | null = null;

/** Sends what waits, oldest first; stops at the first network failure. */
export function flush(): Promise<void> {
  flushing ??= (async () => {
    try {
      const all = (await pending()).filter((p) => !p.error).sort((a, b) => a.at.localeCompare(b.at));
      // opened offline: the CSRF token comes with the session, once the server answers
      if (all.length && !session.csrf && !(await restore())) return;
      if (all.length && !session.csrf) return;
      for (const p of all) {
        try {
          const { meterId, error: _e, ...body } = p;
          await api('POST', `/field/meters/${meterId}/manual-readings`, body);
          await run('readwrite', (s) => s.delete(p.key));
          syncedTick.value++;
        } catch (e) {
          if (e instanceof OfflineError) break;
          if (e instanceof ApiError && (e.status === 401 || e.status === 429 || e.status >= 500)) break;
          if (e instanceof ApiError && e.code === 'AUTH_CSRF_INVALID') break;
          await run('readwrite', (s) => s.put({ ...p, error: e instanceof ApiError ? e.code : String(e) }));
        }
      }
    } finally {
      await pending();
      flushing = null;
    }
  })();
  return flushing;
}

const RETRY_MS = 10_000;

export function startSync() {
  window.addEventListener('online', () => void flush());
  setInterval(() => {
    if (navigator.onLine && pendingCount.value > 0) void flush();
  }, RETRY_MS);
  if (navigator.onLine) void flush();
  else void pending();
}
