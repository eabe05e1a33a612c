// Rounds service worker, made by the server for one build (see pwa.rs).
// Precaches this build's shell and hashed assets; offline navigations get the shell, which mounts
// the app from the phone's local store. A new build waits until the user accepts the reload.
const BUILD = "__BUILD__";
const CACHE = "rounds-" + BUILD;
const PRECACHE = __PRECACHE__;
// The field pages' chunks (split out of the main wasm): precached once someone signs in, when the
// app posts "precache-field", so every field page opens offline.
const FIELD_CHUNKS = __FIELD_CHUNKS__;
// In a corridor with one bar of signal, give the network this long before using the shell.
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith("rounds-") && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })()
  );
});

async function precacheField() {
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const path of FIELD_CHUNKS) if (!(await cache.match(path))) missing.push(path);
  await cache.addAll(missing);
}

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
  if (event.data === "precache-field") event.waitUntil(precacheField());
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); }
    );
  });
}

async function shell() {
  const cache = await caches.open(CACHE);
  return (await cache.match("/shell")) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The API is the app's own business: it keeps an outbox and shows what is unsynced.
  if (url.pathname.startsWith("/api/")) return;
  // The university's sign-in comes back here: the network alone, however slow the check.
  if (url.pathname.startsWith("/auth/")) return;

  if (request.mode === "navigate") {
    event.respondWith(
      withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS)
        .then((response) => (response.status >= 500 ? shell() : response))
        .catch(() => shell())
    );
    return;
  }

  if (PRECACHE.includes(url.pathname) || url.pathname.startsWith("/pkg/") || url.pathname.startsWith("/icons/")) {
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const cached = await cache.match(request);
        if (cached) return cached;
        const response = await fetch(request);
        // A split-out page's chunk (hashed, never changes): kept, so the page opens again offline.
        if (response.ok && url.pathname.startsWith("/pkg/")) await cache.put(request, response.clone());
        return response;
      })
    );
  }
});
