// The groups table: pages, text filter with a match count and zero-match state, sorting,
// remembered preferences, and selecting rows for a bulk delete with a typed confirmation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, expectHeading, useApp } from './helpers.mjs';

const env = useApp();

const q = JSON.stringify({ ResourceTypeFilters: ['AWS::AllSupported'], TagFilters: [{ Key: 'Stage', Values: [] }] });
const entry = (name, tags = {}) => ({ Group: { GroupArn: '', Name: name }, GroupQuery: { GroupName: name, ResourceQuery: { Type: 'TAG_FILTERS_1_0', Query: q } }, Tags: tags });

test('pages, filter, sort, preferences and bulk delete', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const groups = Array.from({ length: 30 }, (_, i) => entry(`group-${String(i).padStart(2, '0')}`, i % 3 === 0 ? { Team: 'red' } : {}));
  await page.goto(env.root.url + 'settings');
  await expectHeading(page, 'Settings');
  await page.getByLabel('Or paste JSON').fill(JSON.stringify({ Groups: groups }));
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (30)' }).click();
  await page.locator('.flash', { hasText: 'Import complete' }).waitFor();

  await page.goto(env.root.url + 'groups');
  await expectHeading(page, 'Groups');
  const rows = page.locator('table tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 25, 'default page size');
  assert.equal(await page.locator('.pagination span').textContent(), 'Page 1 of 2');
  await page.getByRole('button', { name: 'Next page' }).click();
  assert.equal(await rows.count(), 5);

  // Filter with a match count; tags are searched too.
  await page.getByLabel('Find groups').fill('red');
  await page.locator('.filters .counter', { hasText: '10 match(es)' }).waitFor();
  assert.equal(await rows.count(), 10);
  await page.getByLabel('Find groups').fill('nothing-like-this');
  await page.getByRole('button', { name: 'Clear filter' }).click();
  assert.equal(await rows.count(), 25);

  // Sort by name, descending.
  const nameHeader = page.locator('th', { has: page.getByRole('button', { name: /^Name/ }) });
  await page.getByRole('button', { name: /^Name/ }).click();
  assert.equal(await nameHeader.getAttribute('aria-sort'), 'descending');
  assert.equal(await rows.first().locator('th').textContent(), 'group-29');

  // Preferences: page size and columns, remembered across a reload.
  await page.getByRole('button', { name: 'Preferences' }).click();
  await page.getByLabel('10 groups').check();
  await page.getByLabel('Tags', { exact: true }).uncheck();
  assert.equal(await rows.count(), 10);
  assert.equal(await page.locator('thead th', { hasText: 'Tags' }).count(), 0);
  await page.screenshot({ path: `${SHOTS}/groups-table.png`, fullPage: true });
  await page.reload();
  await expectHeading(page, 'Groups');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 10);
  assert.equal(await page.locator('thead th', { hasText: 'Tags' }).count(), 0);

  // Select two rows and delete them together.
  await page.getByLabel('Select group-00').check();
  await page.getByLabel('Select group-01').check();
  assert.equal(await page.locator('#groups-heading .counter').textContent(), '(2/30)');
  await page.locator('.table-header').getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  assert.match(await dialog.textContent(), /Delete 2 groups\?/);
  await dialog.getByLabel(/type “confirm”/).fill('confirm');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.locator('.flash', { hasText: '2 group(s) deleted' }).waitFor();
  assert.equal(await page.locator('#groups-heading .counter').textContent(), '(28)');
  await context.close();
});
