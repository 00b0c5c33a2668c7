// The split release: a first visit fetches the main module only (the shell and the groups
// list); every other page's chunk is fetched when the page is opened or on idle; a chunk that
// cannot be fetched shows a plain message and Retry instead of taking the app down; after one
// visit every page opens offline (the service worker precached the chunks), at the root and
// under /console/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { DIST, DIST_SUBPATH, SHOTS, expectHeading, launch, serve } from './helpers.mjs';

let browser;
let root;
let sub;
before(async () => {
  browser = await launch();
  root = await serve(DIST, '/');
  sub = await serve(DIST_SUBPATH, '/console/', { cspHeader: true });
});
after(async () => {
  await browser?.close();
  await root?.close();
  await sub?.close();
});

// Every page and the heading it shows (the group page is opened from the list below).
const PAGES = [
  ['groups/new', 'Create group'],
  ['resources', 'Resources'],
  ['activity', 'Activity'],
  ['data-protection', 'Data protection'],
  ['recently-deleted', 'Recently deleted'],
  ['settings', 'Settings'],
];

const wasmName = (url) => decodeURIComponent(new URL(url).pathname).split('/').pop();

test('the build is split: a main module and one chunk per page, each content-hashed', () => {
  const wasm = readdirSync(DIST).filter((f) => f.endsWith('.wasm'));
  const pages = wasm.filter((f) => f.startsWith('split_page_'));
  assert.equal(wasm.filter((f) => /^group-console-[0-9a-f]{16}_bg\.wasm$/.test(f)).length, 1, `one main module in ${wasm}`);
  for (const page of ['create_group', 'group_details', 'resources', 'activity', 'data_protection', 'recently_deleted', 'settings', 'lock_screen']) {
    assert.ok(pages.some((f) => new RegExp(`^split_page_${page}-[0-9a-f]{16}\\.wasm$`).test(f)), `a chunk for ${page} in ${pages}`);
  }
  // The write path, the sync engine, the audit and undo are chunks of their own too.
  for (const part of ['write', 'sync_engine', 'audit', 'undo']) {
    assert.ok(wasm.some((f) => new RegExp(`^split_${part}-[0-9a-f]{16}\\.wasm$`).test(f)), `a chunk for ${part} in ${wasm}`);
  }
  for (const f of wasm) assert.match(f, /-[0-9a-f]{16}(_bg)?\.wasm$/, `${f} has a content hash`);
});

test('a first visit to /groups fetches the main module only; a page fetches its chunk when opened', async () => {
  // No service worker (its precache would fetch every chunk) and no idle preloads counted:
  // only what the page asked for before its heading showed.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The moment the groups page is up, taken in the page (a check from here would come late).
  await page.addInitScript(() => {
    const seen = () => document.querySelector('h1#page-title')?.textContent.trim() === 'Groups' && document.querySelector('#groups-filter');
    new MutationObserver((_, observer) => {
      if (seen()) {
        window.gcInteractiveAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const fetched = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) fetched.push(wasmName(r.url()));
  });
  await page.goto(root.url + 'groups');
  await page.waitForFunction(() => window.gcInteractiveAt !== undefined);
  const atFirstPaint = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.endsWith('.wasm') && e.startTime < window.gcInteractiveAt)
    .map((e) => decodeURIComponent(new URL(e.name).pathname).split('/').pop()));
  assert.equal(atFirstPaint.length, 1, `one wasm before the groups page was up: ${atFirstPaint}`);
  assert.match(atFirstPaint[0], /^group-console-[0-9a-f]{16}_bg\.wasm$/);

  // Opening a page fetches its chunk (now, or it came already with the idle preloads).
  await page.getByRole('link', { name: 'Create group' }).first().click();
  await page.getByLabel('Name', { exact: true }).waitFor();
  await expectHeading(page, 'Create group');
  assert.ok(fetched.some((f) => f.startsWith('split_page_create_group-')), `the create page's chunk was fetched: ${fetched}`);
  // The idle preloads fetch the likely next pages without being asked.
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('split_page_group_details-')), null, { timeout: 15000 });
  // The write path came with them, before the first change needs it.
  assert.ok(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('split_write-'))), 'the write chunk was preloaded');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a page whose chunk cannot be fetched says so and offers Retry; the rest keeps working; Retry loads it', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let blocked = true;
  await context.route(/split_page_settings-[0-9a-f]+\.wasm$/, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await page.goto(root.url + 'settings');
  const status = page.locator('#part-status[role="alert"]');
  await status.waitFor({ timeout: 15000 });
  assert.match(await status.textContent(), /could not be loaded/);
  // The placeholder keeps the page's heading (title, breadcrumbs and focus agree).
  await expectHeading(page, 'Settings');
  await page.screenshot({ path: `${SHOTS}/chunk-failed.png`, fullPage: true });

  // The rest of the app works: the groups list, creating a group.
  await page.getByRole('link', { name: 'Groups', exact: true }).first().click();
  await expectHeading(page, 'Groups');
  await page.getByRole('link', { name: 'Settings' }).first().click();
  await status.waitFor();

  // A second failure says more.
  await page.locator('#part-retry').click();
  await page.waitForFunction(() => /still could not be loaded/.test(document.querySelector('#part-status')?.textContent || ''), null, { timeout: 15000 });

  blocked = false;
  await page.locator('#part-retry').click();
  await page.locator('#backend-save').waitFor({ timeout: 15000 });
  await expectHeading(page, 'Settings');
  assert.equal(await page.locator('#part-status').count(), 0);
  // Chromium logs the aborted fetch; nothing else went wrong.
  assert.deepEqual(errors, []);
  await context.close();
});

test('an audit whose chunk cannot be fetched says so instead of "running"; Run audit again runs it once the chunk comes', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let blocked = true;
  let asked = 0;
  await context.route(/split_audit-[0-9a-f]+\.wasm$/, (route) => {
    asked += 1;
    return blocked ? route.abort('internetdisconnected') : route.continue();
  });
  await page.goto(root.url + 'data-protection');
  await expectHeading(page, 'Data protection');
  const alert = page.locator('#audit-unavailable[role="alert"]');
  await alert.waitFor({ timeout: 15000 });
  assert.match(await alert.textContent(), /could not be fetched\. Check your connection/);
  assert.equal(await page.locator('#audit-status').textContent(), 'The audit could not be loaded.');
  // Not "The audit is running…" for ever.
  assert.equal(await page.locator('#audit-no-report').count(), 1);
  assert.ok(asked >= 1, 'the audit asked for its chunk');

  blocked = false;
  await page.locator('#audit-run').click();
  await page.locator('#audit-outcome').waitFor({ timeout: 15000 });
  assert.match(await page.locator('#audit-status').textContent(), /^Audited \d+ group/);
  assert.equal(await alert.count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a change whose write path cannot be fetched fails in plain words and keeps what was typed; it saves once the chunk comes', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let blocked = true;
  await context.route(/split_write-[0-9a-f]+\.wasm$/, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await page.goto(root.url + 'groups/new');
  await expectHeading(page, 'Create group');
  const name = page.getByLabel('Name', { exact: true });
  await name.fill('write-chunk-1');
  await page.getByLabel('Filter key 1').fill('環境');
  await page.getByLabel('Filter values 1').fill('本番');
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByText(/part of the app that saves changes could not be loaded, so nothing was read or changed/).first().waitFor({ timeout: 15000 });
  // Still on the form, with everything typed.
  await expectHeading(page, 'Create group');
  assert.equal(await name.inputValue(), 'write-chunk-1');
  assert.equal(await page.getByLabel('Filter key 1').inputValue(), '環境');

  blocked = false;
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, 'write-chunk-1');
  await page.getByRole('link', { name: 'Groups', exact: true }).first().click();
  await page.getByRole('link', { name: 'write-chunk-1' }).first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [label, server] of [['the site root', () => root], ['/console/', () => sub]]) {
  test(`after one visit every page opens offline, each a cold start from the cache (${label})`, async () => {
    const base = server().url;
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + 'groups');
    await expectHeading(page, 'Groups');
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 20000 });
    // A group to open offline.
    await page.goto(base + 'groups/new');
    await expectHeading(page, 'Create group');
    await page.getByLabel('Name', { exact: true }).fill('offline-split');
    await page.getByLabel('Filter key 1').fill('環境');
    await page.getByLabel('Filter values 1').fill('本番');
    await page.getByRole('button', { name: 'Create group' }).click();
    await expectHeading(page, 'offline-split');
    await page.close();

    await context.setOffline(true);
    for (const [path, heading] of [...PAGES, [`groups/${encodeURIComponent('offline-split')}`, 'offline-split']]) {
      const tab = await context.newPage();
      tab.on('pageerror', (e) => errors.push(String(e)));
      await tab.goto(base + path);
      // The page itself, not its placeholder (which shows the same heading while it loads).
      await tab.waitForFunction(() => document.querySelector('h1#page-title') && !document.querySelector('#part-status'), null, { timeout: 15000 });
      await expectHeading(tab, heading);
      await tab.close();
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

// The release has no panic machinery (-Cpanic=immediate-abort): a bug is a bare WebAssembly
// trap, and the boot script shows the notice the panic hook shows in other builds. The trap
// here is a real one from the app's own module: wasm-bindgen's allocator entry asked for an
// impossible layout aborts, which in this build is `unreachable`, thrown from a timer like an
// event handler's would be.
test('a trap in the app (a bug) shows the plain notice; an ordinary script error does not', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(root.url + 'groups');
  await expectHeading(page, 'Groups');
  // Not every error is a bug of the app's: a plain script error leaves the page alone.
  await page.evaluate(() => setTimeout(() => { throw new Error('not a trap'); }));
  await page.waitForTimeout(200);
  assert.equal(await page.locator('#fatal-error').count(), 0, 'no notice for a plain error');
  const glue = await page.evaluate(() => [...document.querySelectorAll('link[rel=modulepreload]')]
    .map((l) => l.href).find((h) => /group-console-[0-9a-f]{16}\.js$/.test(h)));
  assert.ok(glue, 'the page preloads the app module');
  await page.evaluate(async (url) => {
    const wasm = await (await import(url)).default();
    setTimeout(() => wasm.__wbindgen_malloc(0xfffffff0, 3));
  }, glue);
  const notice = page.locator('#fatal-error');
  await notice.waitFor({ timeout: 5000 });
  assert.equal(await notice.getAttribute('role'), 'alert');
  assert.match(await notice.textContent(), /unexpected error and stopped\. Reload the page/);
  assert.ok(errors.some((e) => /unreachable/i.test(e)), `the trap reached the page: ${errors}`);
  // The page tells it once, whatever follows.
  await page.evaluate(async (url) => {
    const wasm = await (await import(url)).default();
    setTimeout(() => wasm.__wbindgen_malloc(0xfffffff0, 3));
  }, glue);
  await page.waitForTimeout(200);
  assert.equal(await page.locator('#fatal-error').count(), 1);
  await context.close();
});
