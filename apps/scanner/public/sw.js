// Spot Scanner service worker: the app opens and scans with no network.
//
// - The app shell (the four pages, the manifest, the icons) and the static assets those pages
//   load are cached at install, and again when a page asks (`refresh-shell`, sent on each start
//   while online), so the next offline start runs the latest deployment.
// - Pages: network first (a slow network falls back to the cache after a few seconds), cached
//   copy offline. Hashed build assets (/_next/static): cache first, they never change.
// - /api is never touched: no answer of the API is ever cached (scans, sessions, the key: the
//   app keeps what it needs in IndexedDB itself). React Server Component requests also go to the
//   network only; when they fail, Next falls back to a full page load, which the cache serves.

const VERSION = 'v1';
const CACHE = `spot-scanner-${VERSION}`;
const PAGES = ['/', '/login', '/scan', '/pending'];
const FILES = [
  '/manifest.webmanifest',
  '/icon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/maskable-192.png',
  '/icons/maskable-512.png',
  '/icons/apple-touch-icon.png',
];
const NAVIGATION_TIMEOUT_MS = 4000;
const REFRESH_EVERY_MS = 5 * 60 * 1000;
const MAX_STATIC_ENTRIES = 400;
const ASSET_PATTERN = /\/_next\/static\/[^"'\s)\\]+/g;

let lastRefresh = 0;

function isCacheable(response) {
  return response?.ok && response.type === 'basic' && !response.redirected;
}

/** Caches the pages and files of the shell, and every build asset the pages reference. */
async function cacheShell() {
  lastRefresh = Date.now();
  const cache = await caches.open(CACHE);
  const assets = new Set();
  await Promise.all(
    PAGES.map(async (path) => {
      try {
        const response = await fetch(path, { cache: 'no-store', credentials: 'same-origin' });
        if (!isCacheable(response)) return;
        const html = await response.clone().text();
        for (const match of html.matchAll(ASSET_PATTERN)) assets.add(match[0]);
        await cache.put(path, response);
      } catch {
        // Offline or the server is down: keep what is cached.
      }
    }),
  );
  await Promise.all(
    FILES.map(async (path) => {
      try {
        const response = await fetch(path, { cache: 'no-cache' });
        if (isCacheable(response)) await cache.put(path, response);
      } catch {
        // Same: keep the cached copy.
      }
    }),
  );
  await Promise.all(
    [...assets].map(async (path) => {
      if (await cache.match(path)) return;
      try {
        const response = await fetch(path);
        if (isCacheable(response)) await cache.put(path, response);
      } catch {
        // Fetched on first use instead.
      }
    }),
  );
  await trimStatic(cache);
}

/** Old builds' assets pile up across deployments: keep the newest MAX_STATIC_ENTRIES. */
async function trimStatic(cache) {
  const keys = (await cache.keys()).filter((request) =>
    new URL(request.url).pathname.startsWith('/_next/static/'),
  );
  const excess = keys.length - MAX_STATIC_ENTRIES;
  for (let index = 0; index < excess; index += 1) await cache.delete(keys[index]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith('spot-scanner-') && name !== CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'refresh-shell' && Date.now() - lastRefresh > REFRESH_EVERY_MS) {
    event.waitUntil(cacheShell());
  }
});

/** The network within NAVIGATION_TIMEOUT_MS (and cache the page), else the cached page. */
async function navigate(request) {
  const url = new URL(request.url);
  const cache = await caches.open(CACHE);
  const fromNetwork = fetch(request).then(async (response) => {
    if (isCacheable(response) && PAGES.includes(url.pathname)) {
      await cache.put(url.pathname, response.clone());
    }
    return response;
  });
  // Settles with undefined when the network fails (offline), never rejects.
  const network = fromNetwork.catch(() => undefined);
  const timeout = new Promise((resolve) => setTimeout(resolve, NAVIGATION_TIMEOUT_MS));
  const first = await Promise.race([network, timeout]);
  if (first) return first;
  const cached =
    (await cache.match(url.pathname)) ?? (await cache.match(request, { ignoreSearch: true }));
  if (cached) return cached;
  // Nothing cached: wait for the network after all (or show the browser's offline page).
  return (await network) ?? Response.error();
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (isCacheable(response)) await cache.put(request, response.clone());
  return response;
}

async function staleWhileRevalidate(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  const fresh = fetch(request)
    .then(async (response) => {
      if (isCacheable(response)) await cache.put(request, response.clone());
      return response;
    })
    .catch(() => undefined);
  return cached ?? (await fresh) ?? Response.error();
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Never the API.
  if (url.pathname.startsWith('/api/')) return;
  // React Server Component payloads: network only.
  if (request.headers.get('RSC') === '1' || url.searchParams.has('_rsc')) return;

  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
    return;
  }
  if (url.pathname.startsWith('/_next/static/')) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (FILES.includes(url.pathname) || url.pathname.startsWith('/icons/')) {
    event.respondWith(staleWhileRevalidate(request));
  }
});
