// Inventory pull benchmark (figures, not a test): "Refresh inventory" in the app against moto's
// Tagging API (HTTPS, the set-up of the e2e tests) with 10,000 tagged EC2 instances, first all in
// one region, then split over two regions (pulled together). Prints the time from the click to
// the notice, the requests the app sent (GetResources pages, GetTagKeys), the most requests moto
// was answering at once, and boto3's own paginator over the same data for reference.
// GetResources pages follow each other's tokens, so one region has one page in flight at a
// time; regions are read together.
//
// Usage: node scripts/bench-pull.mjs   (after scripts/build.sh and scripts/setup.sh --test)
//        PULL_BENCH_RESOURCES=2000 node scripts/bench-pull.mjs   (a quicker run)

import { chromium } from 'playwright-core';
import { startServer } from './static-server.mjs';
import { startBackend } from '../tests/e2e/backend.mjs';

const N = Number(process.env.PULL_BENCH_RESOURCES || 10_000);
const backend = await startBackend();
const { server, url } = await startServer({ dir: 'dist', mount: '/' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', `--ignore-certificate-errors-spki-list=${backend.spki}`],
});

/** One pull in a fresh page: the figures. */
async function pullOnce(regions) {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(url + 'settings');
  await page.waitForSelector('#backend-kind-custom');
  await page.locator('#backend-kind-custom').check();
  await page.locator('#backend-url').fill(backend.url);
  await page.locator('#backend-save').click();
  await page.locator('#backend-current', { hasText: 'Sync is on with' }).waitFor();
  await page.locator('#cred-key-id').fill('AKIAIOSFODNN7EXAMPLE');
  await page.locator('#cred-secret').fill('bench-secret-not-checked');
  await page.locator('#cred-sign-in').click();
  await page.locator('#cred-status').waitFor();
  // Through the side navigation: a reload would forget the credentials (memory only).
  const toggle = page.getByRole('button', { name: /navigation/i }).first();
  if (!(await page.locator('#side-nav').isVisible())) await toggle.click();
  await page.locator('#side-nav').getByRole('link', { name: 'Resources' }).click();
  await page.locator('#pull-start').waitFor();
  for (const r of regions) await page.locator(`#pull-region-${r}`).check();

  // Requests as the page sends them (CORS preflights are not shown to Playwright), and how
  // many moto was answering at once (seen from the server: tests/backend/moto_server.py).
  const counts = { pages: 0, keys: 0, other: 0 };
  const backendOrigin = new URL(backend.url).origin;
  page.on('request', (req) => {
    if (!req.url().startsWith(backendOrigin) || req.method() === 'OPTIONS') return;
    const target = req.headers()['x-amz-target'] || '';
    if (target.endsWith('.GetResources')) counts.pages += 1;
    else if (target.endsWith('.GetTagKeys')) counts.keys += 1;
    else counts.other += 1;
  });
  await backend.rg('in-flight', 'clear');

  const t0 = Date.now();
  await page.locator('#pull-start').click();
  await page.locator('.flash', { hasText: 'Inventory refreshed' }).waitFor({ timeout: 900000 });
  const seconds = (Date.now() - t0) / 1000;
  const shown = await page.locator('#resources-heading .counter').textContent();
  const maxInFlight = (await backend.rg('in-flight')).most;
  await page.context().close();
  return { seconds, counts, maxInFlight, shown };
}

try {
  await backend.rg('reset');
  const seedOne = await backend.rg('seed-many', 'us-east-1', N);
  const one = await pullOnce(['us-east-1']);
  const t = Date.now();
  const listed = (await backend.rg('get-resources', 'us-east-1')).length;
  const botoOne = (Date.now() - t) / 1000;

  await backend.rg('reset');
  const seedTwo = [await backend.rg('seed-many', 'us-east-1', N / 2), await backend.rg('seed-many', 'eu-west-1', N / 2)];
  const two = await pullOnce(['us-east-1', 'eu-west-1']);
  const t2 = Date.now();
  await backend.rg('get-resources', 'us-east-1');
  await backend.rg('get-resources', 'eu-west-1');
  const botoTwo = (Date.now() - t2) / 1000;

  const line = (r) => `${r.seconds.toFixed(2)} s, ${r.counts.pages} GetResources pages + ${r.counts.keys} GetTagKeys`
    + ` (${r.counts.other} other), at most ${r.maxInFlight} answered by moto at once; table ${r.shown}`;
  console.log(`Inventory pull from moto (HTTPS, same machine), ${N} tagged EC2 instances:`);
  console.log(`  seeding with boto3: ${seedOne.seconds.toFixed(1)} s (one region), ${(seedTwo[0].seconds + seedTwo[1].seconds).toFixed(1)} s (two)`);
  console.log(`  one region (us-east-1, ${listed} listed):   app ${line(one)}`);
  console.log(`                                   boto3 paginator, one process: ${botoOne.toFixed(2)} s (incl. ~1 s Python start-up)`);
  console.log(`  two regions (${N / 2} each, read together): app ${line(two)}`);
  console.log(`                                   boto3 paginator, one region after the other: ${botoTwo.toFixed(2)} s (incl. 2 × ~1 s start-up)`);
} finally {
  await browser.close();
  server.close();
  await backend.close();
}
