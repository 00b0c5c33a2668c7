// Sync with a real backend: moto's AWS Resource Groups over HTTPS (tests/e2e/backend.mjs),
// configured through the UI. Offline creates pushed, server changes pulled, deletes on each
// side, a conflict resolved both ways, the backend stopped mid-sync and restarted (nothing lost,
// nothing duplicated), wrong credentials with signature checking on, credentials never stored,
// and endpoint URLs that the form refuses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, axeProblems, expectHeading } from './helpers.mjs';
import { useBackendApp } from './backend.mjs';

const env = useBackendApp();

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

async function freshPage({ bypassCSP = false } = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

/**
 * Moves inside the app through its links, as a person would: a reload would forget the
 * credentials (they are held in memory only).
 */
async function go(page, where) {
  const nav = page.locator('#side-nav');
  // Right after a page load the app may not have rendered yet: an absent navigation is not a
  // closed one (clicking the toggle then would close it).
  const toggle = page.getByRole('button', { name: /navigation/i }).first();
  await toggle.waitFor();
  if (!(await nav.isVisible())) await toggle.click();
  if (where === 'settings') {
    await nav.getByRole('link', { name: 'Settings' }).click();
    await expectHeading(page, 'Settings');
    return;
  }
  await nav.getByRole('link', { name: 'Groups' }).click();
  await expectHeading(page, 'Groups');
  if (where === 'groups') return;
  if (where === 'groups/new') {
    await page.getByRole('link', { name: 'Create group' }).first().click();
    await expectHeading(page, 'Create group');
    return;
  }
  const name = where.replace(/^groups\//, '');
  await page.locator('#groups-filter').fill(name);
  await page.locator('tbody th.cell-name').getByRole('link', { name, exact: true }).click();
  await expectHeading(page, name);
}

/** Settings → Backend: a custom URL; then credentials. */
async function configure(page, { url = env.backend.url, keyId = KEY_ID, secret = SECRET } = {}) {
  if (!page.url().startsWith(env.root.url)) await page.goto(env.root.url + 'groups');
  await go(page, 'settings');
  await page.locator('#backend-kind-custom').check();
  await page.locator('#backend-url').fill(url);
  await page.locator('#backend-save').click();
  await page.locator('#backend-current', { hasText: 'Sync is on with' }).waitFor();
  await signIn(page, keyId, secret);
  // These tests are about sync, not about being asked first (tests/e2e/data-protection.test.mjs
  // covers that): pushes to this backend go without asking.
  await page.locator('#consent-quiet').click();
  await page.locator('#consent-line', { hasText: 'go without asking' }).waitFor();
}

async function signIn(page, keyId, secret) {
  await page.locator('#cred-key-id').fill(keyId);
  await page.locator('#cred-secret').fill(secret);
  await page.locator('#cred-sign-in').click();
  await page.locator('#cred-status').waitFor();
}

/**
 * Sync now from Settings, and wait until it is idle again. A push held for the person's
 * agreement (the first to this backend, or one with descriptions) is agreed to with "don't
 * ask again", unless `consent` is false (then it stays held).
 */
async function syncNow(page, { expect = 'Idle.', consent = true } = {}) {
  if (!page.url().endsWith('/settings')) await go(page, 'settings');
  await page.locator('#sync-now:not([disabled])').click();
  await page.waitForFunction(
    (want) => {
      const s = document.getElementById('sync-status')?.textContent || '';
      return s.startsWith(want);
    },
    expect,
    { timeout: 60000 },
  );
  if (consent && (await page.locator('#outgoing-send-quiet').count()) > 0) {
    const runs = Number(await page.locator('#sync-status').getAttribute('data-runs'));
    await page.locator('#outgoing-send-quiet').click();
    await page.waitForFunction(
      ({ want, runs }) => {
        const el = document.getElementById('sync-status');
        return Number(el?.dataset.runs) > runs && el.textContent.startsWith(want);
      },
      { want: expect, runs },
      { timeout: 60000 },
    );
  }
}

async function createGroup(page, name, { values = 'Prod', description = '' } = {}) {
  if (page.url().startsWith(env.root.url)) await go(page, 'groups/new');
  else {
    await page.goto(env.root.url + 'groups/new');
    await expectHeading(page, 'Create group');
  }
  await page.getByLabel('Name', { exact: true }).fill(name);
  if (description) await page.getByLabel('Description - optional').fill(description);
  await page.getByLabel('Filter key 1').fill('Stage');
  await page.getByLabel('Filter values 1').fill(values);
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, name);
}

async function syncBadge(page, name) {
  await go(page, 'groups');
  const row = page.locator('tr', { has: page.locator(`th >> text="${name}"`) });
  return (await row.locator('td.cell-sync').textContent()).trim();
}

async function localNames(page) {
  await go(page, 'groups');
  await page.locator('table, .empty-state').first().waitFor();
  return page.locator('tbody th.cell-name').allTextContents();
}

test('the form refuses plain http:// off this computer and URLs with credentials', async () => {
  const { context, page } = await freshPage();
  await page.goto(env.root.url + 'settings');
  await expectHeading(page, 'Settings');
  await page.locator('#backend-kind-custom').check();
  const url = page.locator('#backend-url');
  for (const [bad, says] of [
    ['http://rg.example.com', 'Use https://'],
    ['https://admin:s3cret@rg.example.com', 'user name or password'],
    ['https://rg.example.com/?X-Amz-Signature=abcdef0123456789', 'remove'],
  ]) {
    await url.fill(bad);
    await url.blur();
    const error = page.locator('#backend-url-error .form-error');
    await error.waitFor();
    const text = await error.textContent();
    assert.ok(text.toLowerCase().includes(says.toLowerCase()), `${bad}: ${text}`);
    assert.ok(!text.includes('s3cret'), 'the message never repeats a password');
    assert.equal(await url.getAttribute('aria-invalid'), 'true');
    await page.locator('#backend-save').click();
    assert.equal(await page.locator('#backend-current').textContent(), 'Sync is off: local mode.');
  }
  // Loopback over plain HTTP is allowed, with a visible warning.
  await url.fill('http://127.0.0.1:4566');
  await page.locator('#backend-url-error .form-warning', { hasText: 'Unencrypted' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/settings-backend-refused.png`, fullPage: true });
  await context.close();
});

test('offline creates are pushed; server changes and deletes are pulled; local deletes pushed', async () => {
  const { context, page, errors } = await freshPage();
  await configure(page);
  await createGroup(page, 'web', { description: 'Front end' });
  await createGroup(page, 'db', { values: 'Test' });
  assert.equal(await syncBadge(page, 'web'), 'Local only');
  assert.deepEqual(await env.backend.rg('list'), [], 'nothing is sent before a sync');

  await syncNow(page);
  assert.equal(await page.locator('#sync-pending').textContent(), '0');
  assert.deepEqual(await env.backend.rg('list'), ['db', 'web']);
  const web = await env.backend.rg('get', 'web');
  assert.equal(web.Description, 'Front end');
  assert.match(web.Query.Query, /"Values":\["Prod"\]/);
  assert.equal(await syncBadge(page, 'web'), 'Synced');
  await page.screenshot({ path: `${SHOTS}/groups-synced.png`, fullPage: true });

  // Changed and deleted on the server (boto3), then pulled.
  await env.backend.rg('describe', 'web', 'Edited with boto3');
  await env.backend.rg('tag', 'web', 'Owner', 'platform');
  await env.backend.rg('delete', 'db');
  await env.backend.rg('create', 'from-server', 'Dev');
  await syncNow(page);
  await go(page, 'groups/web');
  await page.locator('dd', { hasText: 'Edited with boto3' }).waitFor();
  assert.deepEqual(await localNames(page), ['from-server', 'web']);

  // A backend group that the guard flags (an account ID in its name) is shown, not stored.
  await env.backend.rg('create', 'billing-123456789012');
  await syncNow(page);
  await go(page, 'groups');
  const notImported = page.locator('[aria-labelledby=remote-rejected-title]');
  // Its name is shown masked: recognisable, without repeating the account ID.
  await notImported.locator('bdi', { hasText: 'billing-\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20229012' }).waitFor();
  assert.match(await notImported.textContent(), /AWS account ID/);
  assert.ok(!(await page.content()).includes('123456789012'), 'the account ID is not on the page');
  assert.ok(!(await page.locator('tbody th.cell-name').allTextContents()).includes('billing-123456789012'));
  await page.screenshot({ path: `${SHOTS}/groups-remote-not-imported.png`, fullPage: true });

  // moto lacks ListGroupResources: a plain "not supported", not an error page.
  await go(page, 'groups/web');
  await page.locator('#members-load').click();
  await page.locator('#members-result', { hasText: 'Not supported by this backend' }).waitFor();

  // Deleted here, then pushed.
  await go(page, 'groups');
  const row = page.locator('tr', { has: page.locator('th >> text="web"') });
  await row.locator('input[type=checkbox]').check();
  await page.locator('.table-header').getByRole('button', { name: 'Delete' }).click();
  await page.locator('#confirm-delete-input').fill('confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.locator('table >> text="web"').waitFor({ state: 'detached' });
  await syncNow(page);
  assert.deepEqual(await env.backend.rg('list'), ['billing-123456789012', 'from-server']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a conflict is shown and resolved keeping mine, and keeping theirs', async () => {
  // CSP bypassed only to inject axe-core (the CSP itself is tested in shell.test.mjs).
  const { context, page } = await freshPage({ bypassCSP: true });
  await configure(page);
  await createGroup(page, 'c-mine', { description: 'base' });
  await createGroup(page, 'c-theirs', { description: 'base' });
  await syncNow(page);
  for (const name of ['c-mine', 'c-theirs']) {
    await env.backend.rg('describe', name, 'changed on the server');
  }
  // Change both locally through the details editor.
  for (const name of ['c-mine', 'c-theirs']) {
    await editDescription(page, name, 'changed here');
  }
  await syncNow(page);
  assert.equal(await page.locator('#sync-conflicts').textContent(), '2');
  assert.deepEqual(await page.locator('#sync-conflict-list a').allTextContents(), ['c-mine', 'c-theirs']);
  assert.equal(await syncBadge(page, 'c-mine'), 'Conflict');
  // Nothing was overwritten on either side.
  assert.equal((await env.backend.rg('get', 'c-mine')).Description, 'changed on the server');

  await go(page, 'groups/c-mine');
  await page.locator('#conflict-panel').waitFor();
  await page.screenshot({ path: `${SHOTS}/group-conflict.png`, fullPage: true });
  // The sync screens pass axe in both themes: the conflict panel, and Settings with sync on.
  const problems = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    problems.push(...(await axeProblems(page)).map((p) => `conflict ${scheme}: ${p}`));
    await go(page, 'settings');
    problems.push(...(await axeProblems(page)).map((p) => `settings ${scheme}: ${p}`));
    await page.screenshot({ path: `${SHOTS}/settings-sync-${scheme}.png`, fullPage: true });
    await go(page, 'groups/c-mine');
    await page.locator('#conflict-panel').waitFor();
  }
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(problems, []);
  await page.locator('#conflict-keep-mine').click();
  await page.locator('#conflict-panel').waitFor({ state: 'detached' });

  await go(page, 'groups/c-theirs');
  await page.locator('#conflict-panel').waitFor();
  await page.locator('#conflict-keep-theirs').click();
  await page.locator('#conflict-panel').waitFor({ state: 'detached' });
  await page.locator('dd', { hasText: 'changed on the server' }).waitFor();

  await syncNow(page);
  assert.equal((await env.backend.rg('get', 'c-mine')).Description, 'changed here');
  assert.equal((await env.backend.rg('get', 'c-theirs')).Description, 'changed on the server');
  assert.equal(await page.locator('#sync-conflicts').textContent(), '0');
  assert.equal(await page.locator('#sync-pending').textContent(), '0');
  await context.close();
});

async function editDescription(page, name, text) {
  await go(page, `groups/${name}`);
  await page.getByRole('button', { name: 'Edit description' }).click();
  const field = page.getByLabel('Description', { exact: true });
  await field.fill(text);
  await page.getByRole('button', { name: 'Save description' }).click();
  await page.locator('dd', { hasText: text }).waitFor();
}

function importDoc(names) {
  const q = JSON.stringify({ ResourceTypeFilters: ['AWS::AllSupported'], TagFilters: [{ Key: 'Stage', Values: ['Prod'] }] });
  return JSON.stringify({
    Groups: names.map((n) => ({
      Group: { GroupArn: '', Name: n },
      GroupQuery: { GroupName: n, ResourceQuery: { Type: 'TAG_FILTERS_1_0', Query: q } },
      Tags: { Team: 'Imported' },
    })),
  });
}

test('the backend stopped mid-sync and restarted: nothing lost, nothing duplicated', async () => {
  const { context, page } = await freshPage();
  await configure(page);
  const names = Array.from({ length: 40 }, (_, i) => `bulk-${String(i).padStart(2, '0')}`);
  await page.locator('#import-text').fill(importDoc(names));
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (40)' }).click();
  await page.locator('#sync-pending', { hasText: '40' }).waitFor();

  // Stop the backend as soon as a few groups have reached it.
  let created = 0;
  let stopped = null;
  page.on('requestfinished', (req) => {
    if (req.method() === 'POST' && req.url().endsWith('/groups')) {
      created += 1;
      if (created === 5) stopped = env.backend.relay.stop();
    }
  });
  await page.locator('#sync-now').click();
  await page.waitForFunction(() => (document.getElementById('sync-status')?.textContent || '').startsWith('Last sync failed'), null, { timeout: 60000 });
  await stopped;
  const status = await page.locator('#sync-status').textContent();
  assert.match(status, /could not be reached/);
  const onServer = await env.backend.rg('list');
  assert.ok(onServer.length >= 5 && onServer.length < 40, `${onServer.length} on the server`);
  const pending = Number(await page.locator('#sync-pending').textContent());
  assert.ok(pending >= 40 - onServer.length, `pending ${pending}, on server ${onServer.length}`);
  // The flashbar offers Retry.
  const retry = page.locator('.flash-error').getByRole('button', { name: 'Retry' });
  await retry.waitFor();
  await page.screenshot({ path: `${SHOTS}/sync-failed-retry.png`, fullPage: true });

  await env.backend.relay.start();
  await retry.click();
  await page.waitForFunction(() => (document.getElementById('sync-status')?.textContent || '') === 'Idle.', null, { timeout: 60000 });
  assert.equal(await page.locator('#sync-pending').textContent(), '0');
  assert.deepEqual(await env.backend.rg('list'), names, 'every group once on the server');
  assert.deepEqual(await localNames(page), names.slice(0, 25), 'the first page of the same 40 here');
  await page.locator('h2 .counter', { hasText: '(40)' }).waitFor();

  // Stopped again mid-sync, then the browser restarts: the outbox survived; after signing in
  // again the sync resumes where it stopped.
  const more = Array.from({ length: 30 }, (_, i) => `again-${String(i).padStart(2, '0')}`);
  await go(page, 'settings');
  await page.locator('#import-text').fill(importDoc(more));
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (30)' }).click();
  await page.locator('#sync-pending', { hasText: '30' }).waitFor();
  created = 0;
  stopped = null;
  await page.locator('#sync-now').click();
  await page.waitForFunction(() => (document.getElementById('sync-status')?.textContent || '').startsWith('Last sync failed'), null, { timeout: 60000 });
  await stopped;
  await env.backend.relay.start();
  await page.reload();
  await expectHeading(page, 'Settings');
  await page.locator('#cred-key-id').waitFor();
  await page.waitForFunction(() => document.getElementById('sync-pending')?.textContent !== '0');
  const left = Number(await page.locator('#sync-pending').textContent());
  assert.ok(left > 0 && left <= 30, `${left} still pending after the restart`);
  await signIn(page, KEY_ID, SECRET);
  await syncNow(page);
  assert.equal(await page.locator('#sync-pending').textContent(), '0');
  assert.deepEqual(await env.backend.rg('list'), [...more, ...names].sort(), 'every group once on the server');
  await context.close();
});

test('wrong credentials with signature checking on: a clear message; credentials never stored', async () => {
  const { context, page } = await freshPage();
  await createGroup(page, 'signed');
  const key = await env.backend.rg('auth');
  try {
    await configure(page, { keyId: key.AccessKeyId, secret: `${key.SecretAccessKey.slice(0, -4)}XXXX` });
    await syncNow(page, { expect: 'Last sync failed' });
    await page.locator('.flash-error', { hasText: 'The backend rejected the credentials' }).waitFor();
    assert.match(await page.locator('#sync-status').textContent(), /rejected the credentials/);
    // The run stopped at its first call (the account check reads ListGroups before anything is
    // sent), so the local group was never queued, let alone sent.
    assert.equal(await page.locator('#sync-pending').textContent(), '0');
    assert.equal(await syncBadge(page, 'signed'), 'Local only');
    await go(page, 'settings');

    await page.locator('#cred-sign-out').click();
    await signIn(page, key.AccessKeyId, key.SecretAccessKey);
    await syncNow(page);
    assert.equal(await page.locator('#sync-pending').textContent(), '0');

    // Neither IndexedDB nor localStorage holds the secret or the key ID.
    const stored = await page.evaluate(async () => {
      const db = await new Promise((ok, err) => {
        const r = indexedDB.open('group-console');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => err(r.error);
      });
      const out = [];
      for (const name of db.objectStoreNames) {
        const all = await new Promise((ok) => {
          const r = db.transaction(name).objectStore(name).getAll();
          r.onsuccess = () => ok(r.result);
        });
        out.push(JSON.stringify(all));
      }
      db.close();
      return out.join('\n') + JSON.stringify({ ...localStorage });
    });
    assert.ok(stored.includes('signed'), 'the dump reads the stores');
    assert.ok(!stored.includes(key.SecretAccessKey), 'the secret is not stored');
    assert.ok(!stored.includes(key.AccessKeyId), 'the key ID is not stored');

    // After a reload the person is asked again.
    await page.reload();
    await expectHeading(page, 'Settings');
    await page.locator('#cred-key-id').waitFor();
  } finally {
    await env.backend.rg('reset');
    await context.close();
  }
});

test('coming back online syncs by itself; another tab shows the progress', async () => {
  const { context, page } = await freshPage();
  await configure(page);
  const other = await context.newPage();
  await other.goto(env.root.url + 'settings');
  await expectHeading(other, 'Settings');
  await other.locator('#backend-current', { hasText: 'Sync is on with' }).waitFor();

  // Offline: changes wait in the outbox; back online, sync runs without a click.
  await context.setOffline(true);
  await createGroup(page, 'made-offline');
  await go(page, 'settings');
  assert.equal(await page.locator('#sync-pending').textContent(), '1');
  await context.setOffline(false);
  await page.waitForFunction(() => document.getElementById('sync-pending')?.textContent === '0', null, { timeout: 30000 });
  assert.deepEqual(await env.backend.rg('list'), ['made-offline']);

  // A larger push from this tab; the other tab reports it.
  const names = Array.from({ length: 150 }, (_, i) => `tab-${String(i).padStart(3, '0')}`);
  await page.locator('#import-text').fill(importDoc(names));
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (150)' }).click();
  await page.locator('#sync-pending', { hasText: '150' }).waitFor();
  const seen = other.waitForFunction(
    () => (document.getElementById('sync-status')?.textContent || '').startsWith('Another tab is syncing'),
    null,
    { timeout: 60000, polling: 'raf' },
  );
  await page.locator('#sync-now').click();
  await seen;
  await page.waitForFunction(() => document.getElementById('sync-pending')?.textContent === '0', null, { timeout: 60000 });
  // When it is done, the other tab shows the result too.
  await other.waitForFunction(() => document.getElementById('sync-pending')?.textContent === '0', null, { timeout: 30000 });
  assert.equal((await env.backend.rg('list')).length, 151);
  await context.close();
});

test('non-ASCII tags from another client sync; many server deletions ask first and stay restorable', async () => {
  const { context, page, errors } = await freshPage();
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  // Made with boto3, as the AWS CLI would: tag keys and values in CJK, accents and Hebrew.
  await env.backend.rg('create', 'jp-web');
  await env.backend.rg('tag', 'jp-web', '環境', '本番');
  await env.backend.rg('tag', 'jp-web', 'Café', 'Crème brûlée');
  await env.backend.rg('tag', 'jp-web', 'צוות', 'תשתית');
  await env.backend.rg('create-many', '12', 'bulk');
  await configure(page);
  await syncNow(page);
  assert.equal((await localNames(page)).length, 13);
  await go(page, 'groups/jp-web');
  await page.getByRole('tab', { name: 'Tags' }).click();
  await page.getByLabel('Tag key 1').waitFor();
  const values = await page.locator('main input').evaluateAll((els) => els.map((e) => e.value));
  for (const text of ['環境', '本番', 'Café', 'Crème brûlée', 'צוות', 'תשתית']) {
    assert.ok(values.includes(text), `${text} is in the tag editor: ${values}`);
  }

  // The backend loses every group (another script, the wrong account): the pull stops and asks.
  await env.backend.rg('reset');
  await syncNow(page, { expect: 'Last sync failed' });
  const question = page.locator('.flash', { hasText: 'Delete groups here?' });
  await question.waitFor();
  assert.match(await question.textContent(), /no longer lists 13 of your 13 synced groups/);
  assert.equal((await localNames(page)).length, 13, 'nothing deleted before the answer');
  await page.screenshot({ path: `${SHOTS}/sync-mass-deletion.png`, fullPage: true });
  await page.locator('#confirm-deletions').click();
  await page.waitForFunction(() => document.querySelectorAll('tbody th.cell-name').length === 0, null, { timeout: 60000 });

  // Each deleted group is kept restorable; restoring brings it back with its tags and pushes it.
  await go(page, 'settings');
  const tombs = page.locator('#sync-tombstones tbody tr');
  await tombs.first().waitFor();
  assert.equal(await tombs.count(), 13);
  await page.getByRole('button', { name: 'Restore jp-web' }).click();
  await page.locator('.flash', { hasText: 'Group restored' }).waitFor();
  await syncNow(page);
  assert.deepEqual(await env.backend.rg('list'), ['jp-web']);
  const back = await env.backend.rg('get', 'jp-web');
  assert.equal(back.Tags['環境'], '本番');
  assert.equal(back.Tags['Café'], 'Crème brûlée');
  assert.deepEqual(errors, []);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('a group edited in another tab while a slow sync reads it is not overwritten, and both changes land', async () => {
  const { context, page, errors } = await freshPage();
  await configure(page);
  await createGroup(page, 'race', { description: 'first words' });
  await createGroup(page, 'other-1');
  await createGroup(page, 'other-2');
  await syncNow(page);
  // Changed on the server: the next pull takes the new tag into "race".
  await env.backend.rg('tag', 'race', 'Owner', 'server-side');
  const tab = await context.newPage();
  await tab.goto(env.root.url + 'groups/race');
  await expectHeading(tab, 'race');

  env.backend.relay.delayMs = 400;
  try {
    await go(page, 'settings');
    await page.locator('#sync-now:not([disabled])').click();
    // The engine has read the local groups and is fetching the server's: edit now, elsewhere.
    await page.locator('#sync-status', { hasText: 'Syncing: reading' }).waitFor({ timeout: 30000 });
    await editDescription(tab, 'race', 'edited during the sync');
    assert.match(await page.locator('#sync-status').textContent(), /^Syncing/, 'the sync was still running');
  } finally {
    env.backend.relay.delayMs = 0;
  }
  await page.waitForFunction(() => (document.getElementById('sync-status')?.textContent || '').startsWith('Idle.'), null, { timeout: 60000 });
  // The edit made during the sync survived it.
  await tab.reload();
  await expectHeading(tab, 'race');
  await tab.locator('dd', { hasText: 'edited during the sync' }).waitFor();
  // The next run sends it and takes the server's tag: neither side lost anything.
  await syncNow(page);
  const server = await env.backend.rg('get', 'race');
  assert.equal(server.Description, 'edited during the sync');
  assert.equal(server.Tags.Owner, 'server-side');
  await go(page, 'groups/race');
  await page.locator('dd', { hasText: 'edited during the sync' }).waitFor();
  await page.getByRole('tab', { name: 'Tags' }).click();
  await page.getByLabel('Tag key 1').waitFor();
  const values = await page.locator('main input').evaluateAll((els) => els.map((e) => e.value));
  assert.ok(values.includes('Owner') && values.includes('server-side'), `the server's tag is here: ${values}`);
  await go(page, 'settings');
  assert.equal(await page.locator('#sync-conflicts').textContent(), '0');
  assert.equal(await page.locator('#sync-pending').textContent(), '0');
  assert.deepEqual(errors, []);
  await context.close();
});

// The split release reads the sync records through a chunk of its own (`records`). When it
// cannot be fetched (offline before the service worker had it, a new version mid-visit), what
// is pending is unknown: the page says so instead of "0 pending" and "Local only".
test('sync records whose chunk cannot be fetched are "unknown", not "nothing pending"; once it comes they are read', async () => {
  const { context, page, errors } = await freshPage();
  let blocked = true;
  await context.route(/split_records-[0-9a-f]+\.wasm$/, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await configure(page);
  const flash = page.locator('.flashbar [role="alert"]', { hasText: 'Sync status could not be read' });
  await flash.waitFor({ timeout: 15000 });
  assert.match(await flash.textContent(), /reads the sync records and Recently deleted could not be loaded, so nothing was read or changed/);
  assert.equal(await page.locator('#sync-pending').textContent(), 'unknown');
  await createGroup(page, 'web');
  assert.equal(await syncBadge(page, 'web'), 'Unknown');

  blocked = false;
  await createGroup(page, 'db');
  assert.equal(await syncBadge(page, 'web'), 'Local only');
  assert.equal(await flash.count(), 0, 'the notice goes once the records are read');
  await go(page, 'settings');
  assert.equal(await page.locator('#sync-pending').textContent(), '2');
  await syncNow(page);
  assert.equal(await page.locator('#sync-pending').textContent(), '0');
  assert.deepEqual(await env.backend.rg('list'), ['db', 'web']);
  assert.equal(await syncBadge(page, 'web'), 'Synced');
  assert.deepEqual(errors, []);
  await context.close();
});
