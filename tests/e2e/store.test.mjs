// Local persistence through the UI: create a group, reload, see it in another tab without a
// reload, the guard in the form, the fallback when IndexedDB is unavailable, and that local
// mode requests nothing but the app's own files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, expectHeading, useApp } from './helpers.mjs';

const env = useApp();

async function createGroup(page, name, { filterKey = 'Stage', filterValues = 'Prod', description = '' } = {}) {
  await page.goto(env.root.url + 'groups/new');
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill(name);
  if (description) await page.getByLabel('Description - optional').fill(description);
  await page.getByLabel('Filter key 1').fill(filterKey);
  await page.getByLabel('Filter values 1').fill(filterValues);
  await page.getByRole('button', { name: 'Create group' }).click();
  // Create leads to the new group's page.
  await expectHeading(page, name);
}

test('a created group is listed, survives a reload, and shows in another tab without one', async () => {
  const context = await env.browser.newContext();
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const a = await context.newPage();
  const b = await context.newPage();
  await b.goto(env.root.url + 'groups');
  await expectHeading(b, 'Groups');

  await createGroup(a, 'web-prod', { description: 'Front end servers' });
  await a.getByRole('status').filter({ hasText: 'was created' }).waitFor();
  await a.getByRole('link', { name: 'Groups', exact: true }).first().click();
  await a.locator('table >> text=web-prod').waitFor();
  await a.screenshot({ path: `${SHOTS}/groups-with-one.png`, fullPage: true });

  // The other tab shows it within a second, without a reload.
  const started = Date.now();
  await b.locator('table >> text=web-prod').waitFor({ timeout: 1000 });
  const tookMs = Date.now() - started;
  assert.ok(tookMs < 1000, `other tab updated after ${tookMs} ms`);

  await a.reload();
  await expectHeading(a, 'Groups');
  await a.locator('table >> text=web-prod').waitFor();
  assert.equal(await a.locator('#groups-heading .counter').textContent(), '(1)');

  // Local mode: every request went to the app's own origin.
  const origin = new URL(env.root.url).origin;
  for (const url of requests) assert.equal(new URL(url).origin, origin, url);
  await context.close();
});

test('the form blocks an account number in the name and explains why', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.root.url + 'groups/new');
  await expectHeading(page, 'Create group');
  const name = page.getByLabel('Name', { exact: true });
  await name.fill('prod-123456789012');
  await name.blur();
  await page.locator('.form-error', { hasText: 'AWS account ID' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Create group' }).isDisabled(), true);
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  // The offending characters are highlighted in the field.
  assert.equal(await page.locator('.field-wrap .field-mirror mark').textContent(), '123456789012');
  await page.screenshot({ path: `${SHOTS}/create-group-blocked.png`, fullPage: true });
  // Fixing the name enables Create again, without another blur.
  await name.fill('prod-web');
  await page.waitForFunction(() => !document.querySelector('button[type=submit]').disabled);
  assert.equal(await page.locator('.form-error', { hasText: 'AWS account ID' }).count(), 0);
  await context.close();
});

test('without IndexedDB the app keeps working in memory and says changes are not saved', async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { get: () => undefined, configurable: true });
  });
  const page = await context.newPage();
  await page.goto(env.root.url + 'groups');
  await expectHeading(page, 'Groups');
  const banner = page.locator('.flash', { hasText: 'Changes are not saved on this device' });
  await banner.waitFor();
  assert.equal(await banner.locator('.flash-dismiss').count(), 0, 'the banner stays');
  await createGroup(page, 'in-memory');
  // In memory, so navigate inside the app (a reload would lose it).
  await page.getByRole('link', { name: 'Groups', exact: true }).first().click();
  await page.locator('table >> text=in-memory').waitFor();
  await context.close();
});

/** Writes records into the app's database from the page, bypassing the app (an older version,
 * another tool, a hand edit in the developer tools). */
async function putRaw(page, storeName, records) {
  await page.evaluate(async ([storeName, records]) => {
    const db = await new Promise((ok, err) => {
      const r = indexedDB.open('group-console');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => err(r.error);
    });
    await new Promise((ok, err) => {
      const tx = db.transaction([storeName], 'readwrite');
      for (const rec of records) tx.objectStore(storeName).put(rec);
      tx.oncomplete = ok;
      tx.onabort = () => err(tx.error);
    });
    db.close();
  }, [storeName, records]);
}

test('a stored record the guard now blocks is quarantined: the rest loads, Settings exports and deletes it', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await createGroup(page, 'kept-fine');
  const query = { Type: 'TAG_FILTERS_1_0', Query: '{"ResourceTypeFilters":["AWS::AllSupported"],"TagFilters":[{"Key":"Stage","Values":["Prod"]}]}' };
  await putRaw(page, 'groups', [
    { name: 'old-keyed', description: 'deploy key AKIAIOSFODNN7EXAMPLE', query, tags: { 環境: '本番' }, createdAt: 1, updatedAt: 1 },
    { name: 'billing-123456789012', description: '', query, tags: {}, createdAt: 1, updatedAt: 1 },
    { name: 'broken', tags: 'not a map' },
  ]);
  await page.goto(env.root.url + 'groups');
  await expectHeading(page, 'Groups');
  await page.locator('table >> text=kept-fine').waitFor();
  assert.equal(await page.locator('#groups-heading .counter').textContent(), '(1)');
  await page.locator('.flash', { hasText: 'Some stored records were set aside' }).waitFor();

  await page.getByRole('link', { name: 'Settings', exact: true }).first().click();
  await expectHeading(page, 'Settings');
  const rows = page.locator('#quarantine-table tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 3);
  const table = await page.locator('#quarantine-table').textContent();
  // The flagged name is masked; neither the key nor the description is shown.
  assert.ok(!table.includes('123456789012') && !table.includes('AKIA') && !table.includes('deploy key'), table);
  assert.ok(table.includes('old-keyed') && table.includes('broken'), table);

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#quarantine-export').click()]);
  const file = JSON.parse(await (await import('node:fs/promises')).readFile(await download.path(), 'utf8'));
  assert.equal(file.quarantined.length, 3);
  const keyed = file.quarantined.find((q) => q.key === 'old-keyed');
  assert.equal(keyed.record.description, 'deploy key AKIAIOSFODNN7EXAMPLE', 'exported as stored');
  assert.equal(keyed.record.tags['環境'], '本番');

  assert.equal(await page.locator('#quarantine-delete').isDisabled(), true);
  await page.locator('#quarantine-confirm').fill('delete');
  await page.locator('#quarantine-delete').click();
  await page.locator('.flash', { hasText: 'Quarantined records deleted' }).waitFor();
  await page.locator('#quarantine').waitFor({ state: 'detached' });
  await page.reload();
  await expectHeading(page, 'Settings');
  await page.locator('#storage-title').waitFor();
  assert.equal(await page.locator('#quarantine').count(), 0);
  assert.equal(await page.locator('.flash', { hasText: 'set aside' }).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('storage written by a newer version, or an upgrade that fails, is told apart and the data can be exported', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  // A newer version's database (version 99) with one group in it.
  // A static file of the site: same origin, and the app does not start (it would open the database).
  await page.goto(env.root.url + 'favicon.svg');
  await page.evaluate(async () => {
    await new Promise((ok, err) => {
      const r = indexedDB.open('group-console', 99);
      r.onupgradeneeded = () => r.result.createObjectStore('groups', { keyPath: 'name' }).put({ name: 'from-the-future', description: 'theirs' });
      r.onsuccess = () => { r.result.close(); ok(); };
      r.onerror = () => err(r.error);
    });
  });
  await page.goto(env.root.url + 'groups');
  await expectHeading(page, 'Groups');
  const banner = page.locator('#storage-banner');
  await banner.waitFor();
  assert.match(await banner.textContent(), /Data from a newer version.*cannot read\..*Nothing was changed/s);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#storage-export').click()]);
  const dump = JSON.parse(await (await import('node:fs/promises')).readFile(await download.path(), 'utf8'));
  assert.equal(dump.version, 99);
  assert.equal(dump.stores.groups[0].value.name, 'from-the-future');

  // A v1 database whose upgrade cannot run (a store of that name already exists).
  await page.evaluate(async () => {
    await new Promise((ok, err) => {
      const d = indexedDB.deleteDatabase('group-console');
      d.onsuccess = ok;
      d.onerror = () => err(d.error);
      d.onblocked = ok;
    });
    await new Promise((ok, err) => {
      const r = indexedDB.open('group-console', 1);
      r.onupgradeneeded = () => {
        r.result.createObjectStore('groups', { keyPath: 'name' }).put({ name: 'old-one', description: '', queryType: 'TAG_FILTERS_1_0', query: '{}', tags: [] });
        r.result.createObjectStore('meta');
        r.result.createObjectStore('resources');
      };
      r.onsuccess = () => { r.result.close(); ok(); };
      r.onerror = () => err(r.error);
    });
  });
  await page.reload();
  await expectHeading(page, 'Groups');
  await banner.waitFor();
  assert.match(await banner.textContent(), /could not be upgraded.*untouched/s);
  const [again] = await Promise.all([page.waitForEvent('download'), page.locator('#storage-export').click()]);
  const old = JSON.parse(await (await import('node:fs/promises')).readFile(await again.path(), 'utf8'));
  assert.equal(old.version, 1);
  assert.equal(old.stores.groups[0].value.name, 'old-one');
  await context.close();
});
