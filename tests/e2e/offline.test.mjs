// The offline app shell: after one visit the app opens without a network, deep links
// included, under /console/ (the service worker answers navigations with the cached
// index.html); edits made offline go to the outbox and nothing leaves the app's own origin; a
// new release served in place is noticed ("A new version is ready" — Reload) and applied only
// when the person chooses, after a warning when a form holds unsaved input; old caches go; the
// manifest is valid and Chromium finds the app installable, at the root and under /console/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, DIST_SUBPATH, SHOTS, expectHeading, idbRecords as records, launch, launchPersistent, serve } from './helpers.mjs';
import { writePrecache } from '../../scripts/precache.mjs';

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

/** Waits until a service worker controls the page (installed, activated and claimed). */
async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
}

async function createGroup(page, base, name, description = '') {
  await page.goto(base + 'groups/new');
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill(name);
  if (description) await page.getByLabel('Description - optional').fill(description);
  await page.getByLabel('Filter key 1').fill('環境');
  await page.getByLabel('Filter values 1').fill('本番');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, name);
}

test('offline after one visit: a deep link under /console/ renders its data, an edit goes to the outbox, nothing leaves the origin', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await createGroup(page, sub.url, 'offline-web', 'private words');
  // Sync on (an endpoint saved; no credentials, so nothing is ever sent): edits go to the
  // outbox, as they would on a laptop that lost its network.
  await page.goto(sub.url + 'settings');
  await expectHeading(page, 'Settings');
  await page.locator('#backend-kind-custom').check();
  await page.locator('#backend-url').fill('https://127.0.0.1:9/');
  await page.locator('#backend-save').click();
  await page.locator('#backend-current', { hasText: 'Sync is on with' }).waitFor();
  await controlled(page);
  const version = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('gc-shell-')));
  assert.equal(version.length, 1, 'one precache');

  await context.setOffline(true);
  const origin = new URL(sub.url).origin;
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));

  // A cold start from the cache: a new tab, straight onto a deep link.
  const tab = await context.newPage();
  tab.on('pageerror', (e) => errors.push(String(e)));
  const started = Date.now();
  await tab.goto(sub.url + 'groups/offline-web');
  await expectHeading(tab, 'offline-web');
  await tab.locator('.description-text', { hasText: 'private words' }).waitFor();
  const coldMs = Date.now() - started;
  console.log(`offline cold start (deep link → group page with its data, from the cache): ${coldMs} ms`);
  await tab.screenshot({ path: `${SHOTS}/offline-deep-link.png`, fullPage: true });

  // An edit while offline: saved here, waiting in the outbox.
  const outboxBefore = (await records(tab, 'outbox')).length;
  await tab.getByRole('button', { name: 'Edit description' }).click();
  await tab.locator('#edit-description').fill('edited offline');
  await tab.getByRole('button', { name: 'Save description' }).click();
  await tab.locator('.description-text', { hasText: 'edited offline' }).waitFor();
  const outbox = await records(tab, 'outbox');
  assert.equal(outbox.length, outboxBefore + 1);
  assert.equal(outbox.at(-1).groupName, 'offline-web');
  assert.equal(outbox.at(-1).action, 'UpdateGroup');

  const foreign = requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(foreign, [], 'offline, nothing goes anywhere but the app\u2019s own origin');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a new release served in place is noticed and applied only when the person chooses', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gc-release-'));
  cpSync(DIST, dir, { recursive: true });
  const site = await serve(dir, '/');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(site.url + 'groups');
    await expectHeading(page, 'Groups');
    await controlled(page);
    const [first] = await page.evaluate(async () => caches.keys());

    // A new release: a changed index.html and so a new precache version, served in place.
    const index = join(dir, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace('</body>', '<!-- release 2 --></body>'));
    const { version } = writePrecache(dir);
    assert.notEqual(`gc-shell-${version}`, first);

    // The person is typing in a form when the release arrives.
    await page.getByRole('link', { name: 'Create group' }).first().click();
    await expectHeading(page, 'Create group');
    await page.getByLabel('Name', { exact: true }).fill('half-typed');
    await page.evaluate(() => window.dispatchEvent(new Event('gc-check-update')));
    const notice = page.locator('.flash', { hasText: 'A new version is ready' });
    await notice.waitFor({ timeout: 20000 });
    // Not applied by itself: the page is the same one, the input is there.
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'half-typed');
    await page.screenshot({ path: `${SHOTS}/new-version.png`, fullPage: true });

    // Reload with unsaved input: a warning first, then the reload.
    await page.locator('#apply-update').click();
    await page.locator('.flash', { hasText: 'Reload now?' }).waitFor();
    assert.match(await page.locator('.flash', { hasText: 'Reload now?' }).textContent(), /not saved/);
    await Promise.all([page.waitForEvent('load'), page.locator('#apply-update').click()]);
    await expectHeading(page, 'Create group');
    await page.waitForFunction(async (v) => {
      const keys = await caches.keys();
      return keys.length === 1 && keys[0] === v;
    }, `gc-shell-${version}`, { timeout: 20000 });
    assert.match(await page.content(), /release 2/);
  } finally {
    await context.close();
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const [where, base] of [['the site root', () => root.url], ['/console/', () => sub.url]]) {
  test(`the manifest is valid and Chromium finds the app installable (${where})`, async () => {
    const profile = mkdtempSync(join(tmpdir(), 'gc-profile-'));
    const context = await launchPersistent(profile);
    const page = await context.newPage();
    await page.goto(base() + 'groups');
    await expectHeading(page, 'Groups');
    await controlled(page);
    const manifest = await (await page.request.get(base() + 'manifest.webmanifest')).json();
    assert.equal(manifest.name, 'Group Console');
    assert.equal(manifest.display, 'standalone');
    assert.ok(manifest.icons.some((i) => i.sizes === '512x512' && i.type === 'image/png'));
    const cdp = await context.newCDPSession(page);
    const app = await cdp.send('Page.getAppManifest');
    assert.deepEqual(app.errors, [], 'the manifest parses without errors');
    // start_url and scope follow the base the files are served under.
    const scope = new URL(base()).pathname;
    const manifestUrl = base() + 'manifest.webmanifest';
    assert.equal(new URL(manifest.scope, manifestUrl).pathname, scope);
    assert.equal(new URL(manifest.start_url, manifestUrl).pathname, scope + 'groups');
    if (app.parsed?.scope) assert.equal(new URL(app.parsed.scope).pathname, scope);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], 'installable by Chromium\u2019s criteria');
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
}
