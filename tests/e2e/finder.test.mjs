// The finder on the Resources page, on the real get-resources answer moto made from
// boto3-created resources (tests/fixtures/get-resources.json: CJK, accented, Hebrew and Arabic
// tags): tokens of every kind, removable chips by keyboard, and the filter kept in the URL.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expectHeading, useApp } from './helpers.mjs';

const env = useApp();

async function importFixture(page) {
  const fixture = await readFile(fileURLToPath(new URL('../fixtures/get-resources.json', import.meta.url)), 'utf8');
  await page.goto(env.root.url + 'resources');
  await expectHeading(page, 'Resources');
  await page.getByLabel('Or paste JSON or CSV').fill(fixture);
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (7)' }).click();
  await page.locator('.flash', { hasText: 'Resources imported' }).waitFor();
  return JSON.parse(fixture).ResourceTagMappingList;
}

/** The ARNs the table shows. */
async function shown(page) {
  return page.locator('table tbody th').allTextContents();
}

/** The fixture's ARNs whose tags pass `keep`, in ARN order (the table's order). */
function expected(list, keep) {
  return list.filter((m) => keep(Object.fromEntries(m.Tags.map((t) => [t.Key, t.Value])), m.ResourceARN))
    .map((m) => m.ResourceARN).sort();
}

async function filterTo(page, line, count) {
  await page.getByLabel('Find resources').fill(line);
  await page.waitForFunction((n) => document.querySelectorAll('table tbody tr').length === n || (n === 0 && document.querySelector('.empty-state, .no-matches')), count);
}

test('tokens find what the tags say, chips remove them, and the URL keeps the filter', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const list = await importFixture(page);

  const cases = [
    ['環境=本番', (t) => t['環境'] === '本番'],
    ['環境!=本番', (t) => t['環境'] !== '本番'],
    ['環境 missing', (t) => !('環境' in t)],
    ['Propriétaire exists', (t) => 'Propriétaire' in t],
    ['Name:ウェブ', (t) => (t.Name || '').startsWith('ウェブ')],
    ['aws:cloudformation:stack-name=web-stack', (t) => t['aws:cloudformation:stack-name'] === 'web-stack'],
    ['service=sqs 環境 exists', (t, arn) => arn.startsWith('arn:aws:sqs:') && '環境' in t],
    ['region=', (t, arn) => arn.split(':')[3] === ''],
    ['"البيئة"=إنتاج', (t) => t['البيئة'] === 'إنتاج'],
    ['crème', (t) => Object.entries(t).some(([k, v]) => `${k} ${v}`.toLowerCase().includes('crème'))],
  ];
  for (const [line, keep] of cases) {
    const want = expected(list, keep);
    await filterTo(page, line, want.length);
    assert.deepEqual(await shown(page), want, line);
  }

  // Three tokens, three chips; removing the middle one by keyboard keeps the other two.
  await filterTo(page, '環境=本番 service=ec2 Name exists', 1);
  const chips = page.locator('.finder-chips button');
  assert.equal(await chips.count(), 3);
  await page.getByRole('button', { name: 'Remove filter service=ec2' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.getByLabel('Find resources').inputValue(), '環境=本番 Name exists');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'resources-filter');
  assert.equal((await shown(page)).length, expected(list, (t) => t['環境'] === '本番' && 'Name' in t).length);

  // The filter is in the URL: a reload (or a copied link) shows the same view.
  // (Written once typing pauses.)
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '環境=本番 Name exists');
  await page.reload();
  await expectHeading(page, 'Resources');
  await page.locator('table tbody tr').first().waitFor();
  assert.equal(await page.getByLabel('Find resources').inputValue(), '環境=本番 Name exists');
  assert.deepEqual(await shown(page), expected(list, (t) => t['環境'] === '本番' && 'Name' in t));
  await context.close();
});

test('a reviewed bulk change downloads as an AWS CLI script, one call per region', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const list = await importFixture(page);
  const picked = list.filter((m) => m.ResourceARN.includes(':sqs:') || m.ResourceARN.includes(':s3:')).map((m) => m.ResourceARN);
  for (const arn of picked) await page.getByLabel(`Select ${arn}`).check();
  await page.getByRole('button', { name: `Edit tags (${picked.length})` }).click();
  await page.getByLabel('Tag key 1').fill('Équipe');
  await page.getByLabel('Tag value 1').fill('Plateforme');
  await page.getByRole('button', { name: 'Review changes' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as AWS CLI script' }).click()]);
  const script = await readFile(await download.path(), 'utf8');
  assert.ok(script.startsWith('#!/bin/sh\n'));
  // The queues are in ap-northeast-1; the buckets have no region in their ARN.
  assert.match(script, /tag-resources --region ap-northeast-1 /);
  assert.match(script, /S3 buckets are tagged in the region they live in/);
  const bodies = script.split("<<'GROUP_CONSOLE_JSON'\n").slice(1).map((b) => JSON.parse(b.split('\nGROUP_CONSOLE_JSON\n')[0]));
  assert.deepEqual(bodies.flatMap((b) => b.ResourceARNList).sort(), [...picked].sort());
  assert.ok(bodies.every((b) => b.Tags['Équipe'] === 'Plateforme'));
  await context.close();
});

test('named filters are saved in the store, survive a reload, apply with one click and can be forgotten', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const list = await importFixture(page);
  await filterTo(page, '環境=本番 Name exists', expected(list, (t) => t['環境'] === '本番' && 'Name' in t).length);
  await page.getByLabel('Save this filter as').fill('本番 with a name');
  await page.getByRole('button', { name: 'Save filter' }).click();
  await page.locator('.flash', { hasText: 'Filter saved' }).waitFor();
  await page.goto(env.root.url + 'resources');
  await expectHeading(page, 'Resources');
  await page.locator('table tbody tr').first().waitFor();
  assert.equal(await page.getByLabel('Find resources').inputValue(), '');
  await page.getByRole('button', { name: 'Apply saved filter 本番 with a name' }).click();
  assert.equal(await page.getByLabel('Find resources').inputValue(), '環境=本番 Name exists');
  assert.deepEqual(await shown(page), expected(list, (t) => t['環境'] === '本番' && 'Name' in t));
  // A saved line passes the guard like every stored text: an account number is refused.
  await page.getByLabel('Find resources').fill('account=123456789012');
  await page.getByLabel('Save this filter as').fill('by account');
  await page.getByRole('button', { name: 'Save filter' }).click();
  await page.locator('.flash', { hasText: 'The saved filters were not changed' }).waitFor();
  await page.getByRole('button', { name: 'Forget saved filter 本番 with a name' }).click();
  await page.locator('.flash', { hasText: 'Saved filter forgotten' }).waitFor();
  assert.equal(await page.getByRole('button', { name: /Apply saved filter/ }).count(), 0);
  await context.close();
});

test('tag columns chosen in Preferences, sort on every column, and the preferences survive a reload', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const list = await importFixture(page);
  const tagsOf = (m) => Object.fromEntries(m.Tags.map((t) => [t.Key, t.Value]));
  await page.getByRole('button', { name: 'Preferences' }).click();
  for (const key of ['環境', 'Propriétaire']) {
    await page.getByLabel('Tag key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Add column' }).click();
  }
  // The same key twice is refused next to the field.
  await page.getByLabel('Tag key', { exact: true }).fill('環境');
  await page.getByRole('button', { name: 'Add column' }).click();
  await page.locator('#tag-column-error', { hasText: 'already has a column' }).waitFor();
  await page.getByLabel('Region').check();
  await page.getByLabel('Tags', { exact: true }).uncheck();
  await page.getByRole('button', { name: 'Move column Propriétaire left' }).click();
  const headers = async () => page.locator('table thead th').evaluateAll((ths) => ths.slice(1).map((th) => th.textContent.replace(/[▲▼↕]/g, '').trim()));
  assert.deepEqual(await headers(), ['ARN', 'Type', 'Region', 'Source', 'Propriétaire', '環境']);

  // Sort by a tag column: values in order, resources without the tag last, both ways.
  const column = async (n) => page.locator('table tbody tr').evaluateAll((trs, i) => trs.map((tr) => [tr.querySelector('th').textContent, tr.children[i].textContent]), n);
  const owners = (dir) => {
    const have = list.filter((m) => 'Propriétaire' in tagsOf(m)).sort((a, b) => {
      const [x, y] = [tagsOf(a)['Propriétaire'], tagsOf(b)['Propriétaire']];
      const c = x < y ? -1 : x > y ? 1 : 0;
      return (dir === 'asc' ? c : -c) || (a.ResourceARN < b.ResourceARN ? -1 : 1);
    });
    const without = list.filter((m) => !('Propriétaire' in tagsOf(m))).map((m) => m.ResourceARN).sort();
    return [...have.map((m) => m.ResourceARN), ...without];
  };
  const sortBy = (name) => page.locator('table thead th', { hasText: name }).getByRole('button').click();
  await sortBy('Propriétaire');
  assert.equal(await page.locator('table thead th', { hasText: 'Propriétaire' }).getAttribute('aria-sort'), 'ascending');
  assert.deepEqual((await column(5)).map((r) => r[0]), owners('asc'));
  assert.equal((await column(5)).at(-1)[1], '—', 'a resource without the tag shows a dash');
  await sortBy('Propriétaire');
  assert.equal(await page.locator('table thead th', { hasText: 'Propriétaire' }).getAttribute('aria-sort'), 'descending');
  assert.deepEqual((await column(5)).map((r) => r[0]), owners('desc'));

  // Sorting keeps the finder's filter; every column sorts (here by region, then ARN).
  await page.getByLabel('Find resources').fill('環境 exists');
  await sortBy('Region');
  const byRegion = list.filter((m) => '環境' in tagsOf(m)).map((m) => [m.ResourceARN.split(':')[3], m.ResourceARN])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1)).map((r) => r[1]);
  await page.waitForFunction((n) => document.querySelectorAll('table tbody tr').length === n, byRegion.length);
  assert.deepEqual(await shown(page), byRegion);

  // Reload: the columns, their order and the sort are remembered.
  await page.getByLabel('Find resources').fill('');
  await page.reload();
  await expectHeading(page, 'Resources');
  await page.locator('table tbody tr').first().waitFor();
  assert.deepEqual(await headers(), ['ARN', 'Type', 'Region', 'Source', 'Propriétaire', '環境']);
  assert.equal(await page.locator('table thead th', { hasText: 'Region' }).getAttribute('aria-sort'), 'ascending');
  await context.close();
});
