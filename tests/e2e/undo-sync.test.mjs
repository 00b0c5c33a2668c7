// Undo and Recently deleted with sync on, against moto (tests/e2e/backend.mjs): a deletion
// undone before the push (offline) sends nothing — the backend never hears of it; a group
// restored from Recently deleted after its deletion was pushed is created on the backend
// again (boto3 confirms), and the UI says its ARN is new.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectHeading, idbRecords } from './helpers.mjs';
import { configureBackend, goVia, syncNow, useBackendApp } from './backend.mjs';

const env = useBackendApp();

async function configure(page) {
  await configureBackend(page, env);
  await page.locator('#consent-quiet').click();
  await page.locator('#consent-line', { hasText: 'go without asking' }).waitFor();
}

async function createGroup(page, name) {
  await goVia(page, 'Groups', 'Groups');
  await page.getByRole('link', { name: 'Create group' }).first().click();
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Description - optional').fill('kept private');
  await page.getByLabel('Filter key 1').fill('Stage');
  await page.getByLabel('Filter values 1').fill('Prod');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, name);
}

async function deleteFromItsPage(page, name) {
  await goVia(page, 'Groups', 'Groups');
  await page.locator('#groups-filter').fill(name);
  await page.locator('tbody th.cell-name').getByRole('link', { name, exact: true }).click();
  await expectHeading(page, name);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/type “confirm”/).fill('confirm');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.locator('.flash', { hasText: `The group “${name}” was deleted` }).waitFor();
}

const outbox = (page) => idbRecords(page, 'outbox');

test('offline, delete then Undo: the outbox entry is cancelled and nothing is ever sent', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await configure(page);
  await createGroup(page, 'keep-me');
  await syncNow(page);
  assert.deepEqual(await env.backend.rg('list'), ['keep-me']);

  const sent = [];
  page.on('request', (r) => {
    if (r.url().startsWith(env.backend.url)) sent.push(new URL(r.url()).pathname);
  });
  await context.setOffline(true);
  await deleteFromItsPage(page, 'keep-me');
  assert.equal((await outbox(page)).length, 1, 'the deletion waits in the outbox');
  await page.locator('.flash', { hasText: 'was deleted' }).getByRole('button', { name: 'Undo' }).click();
  await page.locator('.flash', { hasText: 'undone' }).waitFor();
  assert.deepEqual(await outbox(page), [], 'cancelled before it was sent');
  await context.setOffline(false);
  await syncNow(page);
  assert.ok(!sent.includes('/delete-group'), `no DeleteGroup was sent (${sent.join(', ')})`);
  assert.deepEqual(await env.backend.rg('list'), ['keep-me']);
  assert.equal((await env.backend.rg('get', 'keep-me')).Description, 'kept private');
  await context.close();
});

test('restored from Recently deleted after the push: created on the backend again, with a new ARN', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await configure(page);
  await createGroup(page, 'phoenix');
  await syncNow(page);
  await deleteFromItsPage(page, 'phoenix');
  await syncNow(page);
  assert.deepEqual(await env.backend.rg('list'), [], 'the deletion reached the backend');

  await goVia(page, 'Recently deleted', 'Recently deleted');
  await page.getByRole('button', { name: 'Restore phoenix' }).click();
  await page.locator('.flash', { hasText: 'with a new ARN' }).waitFor();
  await syncNow(page);
  assert.deepEqual(await env.backend.rg('list'), ['phoenix']);
  const back = await env.backend.rg('get', 'phoenix');
  assert.equal(back.Description, 'kept private');
  assert.equal(back.Query.Type, 'TAG_FILTERS_1_0');
  await context.close();
});
