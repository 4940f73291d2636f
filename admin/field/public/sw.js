// The field app's service worker: the app shell and its hashed assets come from the cache when the
// network fails; the field API's GETs (the work list, meter cards, photos) are network-first with the
// last answer kept, so the list and meter pages open with a poor connection. Writes are never
// cached: manual readings entered offline wait in IndexedDB (src/queue.ts) and are sent on `online`.
const SHELL = 'qm-field-shell-v1';
const DATA = 'qm-field-data-v1';

// The shell and the hashed assets it names (read from the page itself), so the app opens offline
// even when the first visit loaded them before this worker was in control.
async function cacheShell() {
  const cache = await caches.open(SHELL);
  const page = await fetch('/field/', { cache: 'no-store' });
  const html = await page.clone().text();
  const assets = [...new Set(html.match(/\/field\/assets\/[^"'\s>]+/g) ?? [])];
  await cache.put('/field/', page);
  await cache.addAll(['/field/manifest.webmanifest', '/field/icon.svg', ...assets]);
}

self.addEventListener('install', (e) => {
  e.waitUntil(cacheShell());
  self.skipWaiting();
});

self.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== DATA).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(req, cacheName) {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(req);
    if (res.ok) await cache.put(req, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(req);
    if (hit) return hit;
    throw err;
  }
}

async function cacheFirst(req) {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) await cache.put(req, res.clone());
  return res;
}

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/v1/field/') || url.pathname === '/api/v1/auth/me') {
    e.respondWith(networkFirst(req, DATA));
  } else if (url.pathname.startsWith('/field/assets/')) {
    e.respondWith(cacheFirst(req));
  } else if (req.mode === 'navigate' && url.pathname.startsWith('/field')) {
    // every page of the app is its shell (client-side router)
    e.respondWith(
      fetch(req)
        .then(async (res) => {
          if (res.ok) await (await caches.open(SHELL)).put('/field/', res.clone());
          return res;
        })
        .catch(() => caches.match('/field/')),
    );
  }
});
