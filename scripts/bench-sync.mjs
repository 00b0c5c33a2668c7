// Sync benchmark (figures, not a test): push 1,000 new groups from the app to moto's server
// (HTTPS, the same set-up as the sync e2e tests), and, in the same run, create 1,000 groups with
// a boto3 loop. Prints both times and the ratio. The app sends up to 6 requests at once.
//
// Usage: node scripts/bench-sync.mjs   (after scripts/build.sh and scripts/setup.sh --test)

import { chromium } from 'playwright-core';
import { startServer } from './static-server.mjs';
import { startBackend } from '../tests/e2e/backend.mjs';

const N = Number(process.env.SYNC_BENCH_GROUPS || 1000);
const backend = await startBackend();
const { server, url } = await startServer({ dir: 'dist', mount: '/' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', `--ignore-certificate-errors-spki-list=${backend.spki}`],
});
try {
  await backend.rg('reset');
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

  const q = JSON.stringify({ ResourceTypeFilters: ['AWS::AllSupported'], TagFilters: [{ Key: 'Stage', Values: ['Bench'] }] });
  const names = Array.from({ length: N }, (_, i) => `app-${String(i).padStart(4, '0')}`);
  const doc = JSON.stringify({
    Groups: names.map((n) => ({ Group: { GroupArn: '', Name: n }, GroupQuery: { GroupName: n, ResourceQuery: { Type: 'TAG_FILTERS_1_0', Query: q } }, Tags: { Bench: 'app' } })),
  });
  await page.locator('#import-text').fill(doc);
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: `Import all (${N})` }).click();
  await page.locator('#sync-pending', { hasText: String(N) }).waitFor({ timeout: 60000 });

  // The first push to a backend waits for the person's agreement (what leaves this device):
  // the run before it only pulls. The figure is the push, from "Send" on.
  await page.locator('#sync-now').click();
  await page.locator('#outgoing-send-quiet').waitFor({ timeout: 60000 });
  const t0 = Date.now();
  await page.locator('#outgoing-send-quiet').click();
  await page.waitForFunction(
    () => document.getElementById('sync-status')?.textContent === 'Idle.' && document.getElementById('sync-pending')?.textContent === '0',
    null,
    { timeout: 600000, polling: 50 },
  );
  const appSeconds = (Date.now() - t0) / 1000;
  const onServer = (await backend.rg('list')).filter((n) => n.startsWith('app-')).length;

  // A second sync with nothing to send: the pull reads every group (ListGroups carries neither
  // query nor tags, so each group costs GetGroup + GetGroupQuery + GetTags).
  const t1 = Date.now();
  await page.locator('#sync-now').click();
  await page.waitForFunction(() => document.getElementById('sync-status')?.textContent === 'Idle.', null, { timeout: 600000, polling: 50 });
  const steadySeconds = (Date.now() - t1) / 1000;

  const boto = await backend.rg('create-many', N, 'boto');
  console.log(`Sync push of ${N} new groups to moto (HTTPS, same machine):`);
  console.log(`  app (Sync now → idle, 6 requests in flight, signed in wasm): ${appSeconds.toFixed(2)} s  (${onServer} on the server)`);
  console.log(`  boto3 loop (one request at a time):                         ${boto.seconds.toFixed(2)} s`);
  console.log(`  ratio app / boto3: ${(appSeconds / boto.seconds).toFixed(2)}`);
  console.log(`  then a sync with nothing to send (reads all ${N} groups back): ${steadySeconds.toFixed(2)} s`);
} finally {
  await browser.close();
  server.close();
  await backend.close();
}
