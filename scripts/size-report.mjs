// Size report (a benchmark, not a test): builds the release (unless --no-build) and prints
//
// 1. what a first visit to /groups really downloads before the page is interactive: headless
//    Chromium (playwright-core) visits the build served by scripts/static-server.mjs, which
//    compresses as a CDN does (brotli when accepted), and every response is counted with the
//    bytes it had on the wire, until the groups page shows its heading and its filter field;
// 2. what the page fetched after that (the service worker's precache, idle preloads), apart;
// 3. every file of the first visit with its raw, gzip and brotli (quality 11) sizes, and every
//    wasm piece the first visit did not load (loaded on demand), each on its own line;
// 4. the budget (FIRST_VISIT_BUDGET_KIB, default 200 KiB) and whether it is met.
//
// Usage: node scripts/size-report.mjs [--no-build] [--dir dist]

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from './static-server.mjs';

const args = process.argv.slice(2);
const dir = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : 'dist';
const budget = Number(process.env.FIRST_VISIT_BUDGET_KIB || 200);
if (!args.includes('--no-build')) {
  execFileSync('scripts/build.sh', ['--out', dir], { stdio: ['ignore', 'inherit', 'inherit'] });
}

const kb = (n) => (n / 1024).toFixed(1).padStart(8) + ' KiB';

// --- 1 and 2: a real first visit ----------------------------------------------------------------
const { server, url } = await startServer({ dir });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const seen = [];
let interactiveAt = Infinity;
// The context hears the page's requests and its service worker's (the precache) alike.
context.on('requestfinished', async (req) => {
  const at = Date.now();
  try {
    const sizes = await req.sizes();
    const resp = await req.response();
    seen.push({
      url: req.url(),
      // When the request started (epoch ms), to compare with the moment the page was up.
      at: req.timing().startTime > 0 ? req.timing().startTime : at,
      body: sizes.responseBodySize,
      encoding: (await resp?.headerValue('content-encoding')) || 'identity',
      // The service worker's own fetches (its precache) are never what the page waits for.
      worker: !!req.serviceWorker?.(),
      document: req.isNavigationRequest(),
    });
  } catch { /* the page went away */ }
});
// The moment the page is interactive is taken in the page (a check from here would come late,
// after the idle preloads have started), as an epoch time like the requests' start times.
await page.addInitScript(() => {
  const seen = () => document.querySelector('h1#page-title')?.textContent.trim() === 'Groups'
    && document.querySelector('#groups-filter');
  new MutationObserver((_, observer) => {
    if (seen()) {
      window.gcInteractiveAt = performance.timeOrigin + performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
});
const t0 = Date.now();
await page.goto(url + 'groups');
await page.waitForFunction(() => window.gcInteractiveAt !== undefined, null, { timeout: 60000 });
interactiveAt = await page.evaluate(() => window.gcInteractiveAt);
// Let what follows (service worker install and precache, idle preloads) happen.
await page.waitForTimeout(3000);
await browser.close();
server.close();

// The page for /groups is index.html (the server's fallback); the other names are files.
const name = (s) => (s.document ? 'index.html' : decodeURIComponent(new URL(s.url).pathname.replace(/^\//, '')) || 'index.html');
const before = seen.filter((s) => s.at <= interactiveAt && !s.worker);
const after = seen.filter((s) => s.at > interactiveAt || s.worker);
const total = (list) => list.reduce((t, s) => t + s.body, 0);
console.log(`\nfirst visit to /groups, as the static server sends it (interactive after ${Math.round(interactiveAt - t0)} ms)`);
console.log(`${'response'.padEnd(52)} ${'encoding'.padEnd(9)} ${'on the wire'.padStart(12)}`);
for (const s of before.sort((a, b) => b.body - a.body)) {
  console.log(`${name(s).padEnd(52)} ${s.encoding.padEnd(9)} ${kb(s.body)}`);
}
console.log('-'.repeat(76));
console.log(`${'before interactive'.padEnd(62)} ${kb(total(before))}`);
if (after.length) {
  console.log(`${`after interactive (${after.length} responses: precache, preloads)`.padEnd(62)} ${kb(total(after))}`);
}

// --- 3: the files, raw / gzip / brotli ------------------------------------------------------------
const files = [];
const walk = (d) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(relative(dir, p));
  }
};
walk(dir);
const firstVisit = new Set(before.map(name));
const measure = (f) => {
  const body = readFileSync(join(dir, f));
  return {
    file: f,
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const line = (label, r) => console.log(`${label.padEnd(52)} ${kb(r.raw)} ${kb(r.gzip)} ${kb(r.brotli)}`);
const sum = (list) => list.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const visited = files.filter((f) => firstVisit.has(f)).map(measure).sort((a, b) => b.raw - a.raw);
console.log(`\n${'file (first visit)'.padEnd(52)} ${'raw'.padStart(12)} ${'gzip'.padStart(12)} ${'brotli'.padStart(12)}`);
for (const r of visited) line(r.file, r);
console.log('-'.repeat(92));
for (const k of ['.wasm', '.js', '.css', '.html']) {
  const part = visited.filter((r) => r.file.endsWith(k));
  if (part.length) line(`  all ${k.slice(1)}`, sum(part));
}
line('total', sum(visited));
const onDemand = files.filter((f) => f.endsWith('.wasm') && !firstVisit.has(f)).map(measure);
if (onDemand.length) {
  console.log(`\n${'loaded on demand (not on the first visit)'.padEnd(52)} ${'raw'.padStart(12)} ${'gzip'.padStart(12)} ${'brotli'.padStart(12)}`);
  for (const r of onDemand.sort((a, b) => b.raw - a.raw)) line(r.file, r);
  line('  all on demand', sum(onDemand));
} else {
  console.log('\nloaded on demand: nothing (one wasm module)');
}

// --- 4: the budget --------------------------------------------------------------------------------
const wire = total(before) / 1024;
console.log(`\nbudget: first visit to /groups before interactive ≤ ${budget} KiB (brotli as served): ${wire.toFixed(1)} KiB — ${wire <= budget ? 'met' : 'NOT met'}`);
