// The group details page: overview, tabs by keyboard, editing tags and the query with a
// preview, the group's activity, and deleting with a typed confirmation (Escape cancels and
// focus returns).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, expectHeading, useApp } from './helpers.mjs';

const env = useApp();

test('view, edit tags and query, see activity, delete with confirmation', async () => {
  const context = await env.browser.newContext();
  // Local mode sends nothing anywhere: record every request of this whole flow.
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  // Inventory and a group.
  await page.goto(env.root.url + 'resources');
  await expectHeading(page, 'Resources');
  await page.getByLabel('Or paste JSON or CSV').fill('ARN,Stage\narn:aws:s3:::a,Prod\narn:aws:s3:::b,Dev\n');
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (2)' }).click();
  await page.locator('.flash', { hasText: 'Resources imported' }).waitFor();
  await page.goto(env.root.url + 'groups/new');
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill('storage');
  await page.getByLabel('Filter key 1').fill('Stage');
  await page.getByLabel('Filter values 1').fill('Prod');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, 'storage');

  // Overview and the Resources tab.
  assert.match(await page.locator('.key-values').textContent(), /Local only/);
  await page.locator('.tab-panel >> text=arn:aws:s3:::a').waitFor();
  assert.equal(await page.locator('.tab-panel tbody tr').count(), 1);
  const crumbs = await page.locator('.breadcrumbs li').allTextContents();
  assert.deepEqual(crumbs.map((c) => c.trim()), ['Group Console', 'Groups', 'storage']);

  // Tabs by keyboard: arrow keys move between them.
  await page.getByRole('tab', { name: 'Resources' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('tab', { name: 'Tags' }).getAttribute('aria-selected'), 'true');

  // Tags: add one and save.
  await page.getByRole('button', { name: 'Add tag', exact: true }).click();
  await page.getByLabel('Tag key 1').fill('Owner');
  await page.getByLabel('Tag value 1').fill('storage-team');
  await page.getByRole('button', { name: 'Save tags' }).click();
  await page.locator('.flash', { hasText: 'Tags saved' }).waitFor();
  // The page shows the saved group, and stays on the tab the person was on.
  assert.equal(await page.getByRole('tab', { name: 'Tags' }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.getByLabel('Tag value 1').inputValue(), 'storage-team');

  // Query: widen to Dev too; the preview follows before saving.
  await page.getByRole('tab', { name: 'Query' }).click();
  await page.getByLabel('Filter values 1').fill('Prod, Dev');
  await page.locator('.preview', { hasText: '2 of the 2' }).waitFor();
  await page.getByRole('button', { name: 'Save query' }).click();
  await page.locator('.flash', { hasText: 'Query saved' }).waitFor();
  await page.getByRole('tab', { name: 'Resources' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.tab-panel tbody tr').length === 2);
  await page.getByLabel('Find resources').fill(':::b');
  await page.waitForFunction(() => document.querySelectorAll('.tab-panel tbody tr').length === 1);
  assert.match(await page.locator('.tab-panel .filters .counter').textContent(), /1 of 2 match the filter/);

  // Activity of this group.
  await page.getByRole('tab', { name: 'Activity' }).click();
  await page.locator('.tab-panel >> text=UpdateGroupQuery').waitFor();
  const events = await page.locator('.tab-panel tbody th').allTextContents();
  assert.deepEqual(events, ['UpdateGroupQuery', 'Tag', 'CreateGroup']);
  await page.screenshot({ path: `${SHOTS}/group-details.png`, fullPage: true });

  // Delete: Escape cancels and focus returns to the Delete button.
  const deleteButton = page.getByRole('button', { name: 'Delete', exact: true }).first();
  await deleteButton.click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Delete storage\?/);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Delete');

  await deleteButton.click();
  // Focus stays inside the dialog: from the input, Tab reaches Cancel, then wraps to the input.
  await page.waitForFunction(() => document.activeElement?.id === 'confirm-delete-input');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Cancel');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'confirm-delete-input');
  const confirm = dialog.getByRole('button', { name: 'Delete' });
  assert.equal(await confirm.isDisabled(), true);
  await dialog.getByLabel(/type “confirm”/).fill('confirm');
  await page.screenshot({ path: `${SHOTS}/delete-modal.png` });
  await confirm.click();
  await expectHeading(page, 'Groups');
  await page.locator('.flash', { hasText: 'Group deleted' }).waitFor();
  assert.equal(await page.locator('#groups-heading .counter').textContent(), '(0)');
  const origin = new URL(env.root.url).origin;
  const foreign = requests.filter((u) => new URL(u).origin !== origin);
  assert.deepEqual(foreign, [], 'only the app\'s own files are requested');
  assert.ok(requests.every((u) => /\.(js|wasm|css|svg|png|webmanifest|html)$|\/$|\/groups|\/resources/.test(new URL(u).pathname)), requests.join('\n'));
  await context.close();
});

test('an unknown group name shows a clear not-found page', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.root.url + 'groups/does-not-exist');
  await expectHeading(page, 'Group not found');
  await page.getByRole('link', { name: 'Go to Groups' }).click();
  await expectHeading(page, 'Groups');
  await context.close();
});

test('what is being typed on a group page survives the group changing in another tab', async () => {
  const context = await env.browser.newContext();
  const a = await context.newPage();
  const b = await context.newPage();
  await a.goto(env.root.url + 'groups/new');
  await expectHeading(a, 'Create group');
  await a.getByLabel('Name', { exact: true }).fill('shared-edit');
  await a.getByLabel('Filter key 1').fill('環境');
  await a.getByLabel('Filter values 1').fill('本番');
  await a.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(a, 'shared-edit');

  // Tab A: the description editor open with text typed, and a tag row being typed.
  await a.getByRole('button', { name: 'Edit description' }).click();
  await a.locator('#edit-description').fill('Serveurs partagés — brouillon');
  await a.getByRole('tab', { name: 'Tags' }).click();
  await a.getByRole('button', { name: 'Add tag', exact: true }).click();
  await a.getByLabel('Tag key 1').fill('Coût');
  await a.getByLabel('Tag value 1').fill('42');

  // Tab B saves another tag on the same group: tab A's page shows the group afresh.
  await b.goto(env.root.url + 'groups/shared-edit');
  await expectHeading(b, 'shared-edit');
  await b.getByRole('tab', { name: 'Tags' }).click();
  await b.getByRole('button', { name: 'Add tag', exact: true }).click();
  await b.getByLabel('Tag key 1').fill('Équipe');
  await b.getByLabel('Tag value 1').fill('web');
  await b.getByRole('button', { name: 'Save tags' }).click();
  await b.locator('.flash', { hasText: 'Tags saved' }).waitFor();

  // A now knows B's tag, and still has everything it typed.
  await a.waitForFunction(() => [...document.querySelectorAll('input[id^=tag-key-]')].some((i) => i.value === 'Équipe'));
  const rows = await a.evaluate(() => [...document.querySelectorAll('.kv-row')].map((r) => [
    r.querySelector('input[id^=tag-key-]')?.value, r.querySelector('input[id^=tag-value-]')?.value,
  ]));
  assert.deepEqual(rows.sort(), [['Coût', '42'], ['Équipe', 'web']]);
  assert.equal(await a.locator('#edit-description').inputValue(), 'Serveurs partagés — brouillon');

  // Saving A's tags keeps B's: nothing of either is lost.
  await a.getByRole('button', { name: 'Save tags' }).click();
  await a.locator('.flash', { hasText: 'Tags saved' }).waitFor();
  await a.reload();
  await expectHeading(a, 'shared-edit');
  await a.getByRole('tab', { name: 'Tags' }).click();
  const saved = await a.evaluate(() => [...document.querySelectorAll('input[id^=tag-key-]')].map((i) => i.value));
  assert.deepEqual(saved.sort(), ['Coût', 'Équipe']);
  await context.close();
});
