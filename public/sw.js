// Group Console's service worker: makes the app open without a network after one visit.
//
// Plain JavaScript, no framework, no import. scripts/postbuild.mjs writes the build's list of
// files between the two markers below (every file of dist/, content-hashed names included, and
// a version made of their hashes), so a new release is a new sw.js byte for byte: that is how
// the browser notices it.
//
// What it does:
// - install: precaches every file of this build into its own cache, `gc-shell-<version>`. It
//   does not take over by itself: a new version waits until the page asks (the person clicked
//   "Reload" in the "A new version is ready" notice) or every tab of the old one is closed, so
//   a release never replaces the code under someone's unsent changes or unsaved input.
// - activate: deletes the caches of earlier versions, and controls the open pages.
// - navigations (a deep link, a reload): network first, with a short timeout, so an online
//   visit always gets the newest index.html; offline (or a network that hangs) they get the
//   cached index.html, which routes any path of the app itself.
// - everything else of our own origin that the build made: from the cache, else the network.
//   Requests to other origins (a sync backend) are never touched: they are not ours to cache,
//   and the app's offline-first data layer already handles a backend it cannot reach.
//
// It works at the site root and under a sub-path: every path is resolved against the scope it
// was registered with (the folder of this file), never against `/`.

const BUILD = /* build */ { version: 'unbuilt', files: [] } /* /build */;

const PREFIX = 'gc-shell-';
const CACHE = PREFIX + BUILD.version;
// How long a navigation waits for the network before the cached page is used.
const NAVIGATION_TIMEOUT_MS = 3000;

const scoped = (file) => new URL(file, self.registration.scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Files with a content hash in their name are the same bytes the page just loaded: the
      // HTTP cache answers them, so the first visit does not download the wasm twice. The
      // others (index.html, the manifest, icons) go to the network (`reload`): the HTTP cache
      // may hold an older release's under the same name.
      const hashed = (f) => /[-_][0-9a-f]{12,}[._]/.test(f.split('/').pop());
      await cache.addAll(
        BUILD.files.map((f) => new Request(scoped(f), { cache: hashed(f) ? 'default' : 'reload' })),
      );
      // A deploy landing between this file and index.html would leave a page that names boot
      // files this cache does not hold: offline, the app could not start. Refuse to install
      // such a mix; the browser tries again on its next update check.
      const page = await (await cache.match(scoped('index.html'))).text();
      const boot = page.match(/src="(boot-[0-9a-f]+\.js)"/);
      if (!boot || !BUILD.files.includes(boot[1])) {
        await caches.delete(CACHE);
        throw new Error('index.html is from another release than this worker');
      }
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The page asks a waiting worker to take over (the person chose "Reload"), or asks which
// version is running (Settings shows it).
self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'skip-waiting') self.skipWaiting();
  if (data.type === 'version' && event.ports[0]) event.ports[0].postMessage({ version: BUILD.version });
});

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return cache.match(request);
}

async function navigation(request) {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), NAVIGATION_TIMEOUT_MS));
  const network = fetch(request).catch(() => null);
  const answer = await Promise.race([network, timeout]);
  // A 404 for a deep link is still the app (hosts serve 404.html, a copy of index.html);
  // a 5xx or no answer is not: then the cached page.
  if (answer && answer.status < 500) return answer;
  const cached = await fromCache(scoped('index.html'));
  if (cached) return cached;
  // Nothing cached yet (the very first visit is still installing): whatever the network gives.
  return (await network) || Response.error();
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(self.registration.scope)) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
    return;
  }
  event.respondWith(
    (async () => (await fromCache(request)) || fetch(request))(),
  );
});
