// Never losing work, in local mode: deleting 50 groups and Undo gives back exactly the same
// records (timestamps included); Ctrl+Z does the same outside text fields, and not inside
// them; Recently deleted restores groups one by one or together, descriptions kept but never
// shown; a backup round trip is lossless, a damaged file or a wrong passphrase reads nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHOTS, expectHeading, idbRecords as records, importGroups as importInto, useApp } from './helpers.mjs';

const env = useApp();

const q = JSON.stringify({ ResourceTypeFilters: ['AWS::AllSupported'], TagFilters: [{ Key: '環境', Values: ['本番'] }] });
const entry = (name, i) => ({
  Group: { GroupArn: '', Name: name, Description: `private note ${i}` },
  GroupQuery: { GroupName: name, ResourceQuery: { Type: 'TAG_FILTERS_1_0', Query: q } },
  Tags: { Équipe: i % 2 ? 'Fusée' : 'שלום', '環境': '本番' },
});

const importGroups = (page, names) => importInto(page, env.root.url, names.map(entry));

async function deleteSelected(page, count) {
  await page.locator('.table-header').getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/type “confirm”/).fill('confirm');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.locator('.flash', { hasText: `${count} group(s) deleted` }).waitFor();
}

test('delete 50 groups, then Undo: the records are as before, timestamps included', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const names = Array.from({ length: 60 }, (_, i) => `del-${String(i).padStart(2, '0')}`);
  await importGroups(page, names);
  await page.goto(env.root.url + 'groups');
  await expectHeading(page, 'Groups');
  const before = await records(page, 'groups');
  assert.equal(before.length, 60);

  await page.getByRole('button', { name: 'Preferences' }).click();
  await page.getByLabel('50 groups').check();
  await page.getByLabel('Select all groups on this page').check();
  assert.equal(await page.locator('#groups-heading .counter').textContent(), '(50/60)');
  await deleteSelected(page, 50);
  assert.equal((await records(page, 'groups')).length, 10);
  assert.equal((await records(page, 'tombstones')).length, 50, 'kept in Recently deleted');
  const notice = page.locator('.flash', { hasText: '50 group(s) deleted' });
  await page.screenshot({ path: `${SHOTS}/undo-notice.png` });
  // Still offered after 10 s.
  await page.waitForTimeout(10_500);
  await notice.getByRole('button', { name: 'Undo' }).click();
  await page.locator('.flash', { hasText: 'undone' }).waitFor();
  assert.deepEqual(await records(page, 'groups'), before);
  assert.deepEqual(await records(page, 'tombstones'), []);
  assert.equal(await page.locator('#groups-heading .counter').textContent(), '(60)');
  const log = await records(page, 'activity');
  const undo = log.at(-1);
  assert.equal(undo.eventName, 'Undo');
  assert.equal(undo.count, 50);
  assert.ok(!JSON.stringify(log).includes('private note'), 'descriptions never in the log');
  await context.close();
});

test('Ctrl+Z undoes outside text fields, never inside them', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await importGroups(page, ['zed-a', 'zed-b']);
  await page.goto(env.root.url + 'groups');
  await expectHeading(page, 'Groups');
  const before = await records(page, 'groups');
  await page.getByLabel('Select zed-a').check();
  await deleteSelected(page, 1);
  // In the filter field Ctrl+Z is the field's own.
  await page.getByLabel('Find groups').fill('zed');
  await page.getByLabel('Find groups').press('Control+z');
  await page.waitForTimeout(500);
  assert.equal((await records(page, 'groups')).length, 1);
  await page.getByLabel('Find groups').fill('');
  await page.locator('h1#page-title').click();
  await page.keyboard.press('Control+z');
  await page.locator('.flash', { hasText: 'undone' }).waitFor();
  assert.deepEqual(await records(page, 'groups'), before);
  await context.close();
});

test('Recently deleted: restore one, then the rest together; descriptions kept, never shown', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await importGroups(page, ['rd-one', 'rd-two', 'rd-three']);
  await page.goto(env.root.url + 'groups');
  await expectHeading(page, 'Groups');
  for (const n of ['rd-one', 'rd-two', 'rd-three']) await page.getByLabel(`Select ${n}`).check();
  await deleteSelected(page, 3);

  await page.getByRole('link', { name: 'Recently deleted' }).click();
  await expectHeading(page, 'Recently deleted');
  const rows = page.locator('#deleted-table tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 3);
  assert.match(await page.locator('#deleted-table').textContent(), /You, here/);
  assert.match(await page.locator('#deleted-table').textContent(), /29 days|30 days/);
  assert.ok(!(await page.content()).includes('private note'), 'descriptions are not shown');
  await page.screenshot({ path: `${SHOTS}/recently-deleted.png`, fullPage: true });

  await page.getByRole('button', { name: 'Restore rd-two' }).click();
  await page.locator('.flash', { hasText: 'The group rd-two is back' }).waitFor();
  await page.locator('#deleted-table tbody tr').nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  await page.getByLabel('Select all deleted groups').check();
  await page.locator('#restore-selected').click();
  await page.locator('.flash', { hasText: '2 groups are back' }).waitFor();
  await page.locator('#deleted-empty').waitFor();
  const groups = await records(page, 'groups');
  assert.deepEqual(groups.map((g) => g.name).sort(), ['rd-one', 'rd-three', 'rd-two']);
  assert.ok(groups.every((g) => g.description.startsWith('private note')), 'descriptions came back');
  await context.close();
});

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
  return readFile(await file.path(), 'utf8');
}

async function openBackup(page, text) {
  const path = join(tmpdir(), `gc-backup-${Date.now()}-${Math.random()}.json`);
  await writeFile(path, text);
  await page.locator('#restore-file').setInputFiles(path);
  await page.waitForFunction(() => document.getElementById('restore-text').value.length > 0);
  await page.getByRole('button', { name: 'Open backup' }).click();
}

test('backup: a round trip is lossless; a damaged file and a wrong passphrase read nothing', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await importGroups(page, ['bk-a', 'bk-b']);
  // Resources too (an import), and the activity they make.
  await page.goto(env.root.url + 'resources');
  await expectHeading(page, 'Resources');
  const inventory = { ResourceTagMappingList: [{ ResourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders', Tags: [{ Key: '環境', Value: '本番' }] }] };
  await page.getByLabel('Or paste JSON or CSV').fill(JSON.stringify(inventory));
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (1)' }).click();
  await page.locator('.flash', { hasText: 'Resources imported' }).waitFor();

  await page.goto(env.root.url + 'settings');
  await expectHeading(page, 'Settings');
  const plain = await download(page, '#backup-make');
  const file = JSON.parse(plain);
  assert.equal(file.format, 'group-console-backup');
  assert.equal(file.version, 1);
  assert.match(file.checksum, /^sha256:[0-9a-f]{64}$/);
  const payload = JSON.parse(file.payload);
  assert.equal(payload.groups.length, 2);
  assert.equal(payload.groups[0].description, 'private note 0');
  assert.equal(payload.resources.length, 1);
  await page.locator('#backup-last', { hasText: 'today' }).waitFor();

  // Everything goes, then comes back from the file.
  await page.getByLabel(/To confirm, type/).fill('delete');
  await page.getByRole('button', { name: 'Delete all data' }).click();
  await page.locator('.flash', { hasText: 'All data deleted' }).waitFor();
  await openBackup(page, plain);
  await page.locator('#restore-groups', { hasText: 'Groups: 2 added' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/backup-restore-preview.png`, fullPage: true });
  await page.locator('#restore-apply').click();
  await page.locator('.flash', { hasText: 'Backup restored' }).waitFor();
  const again = JSON.parse(JSON.parse(await download(page, '#backup-make')).payload);
  const restoreEvent = again.activity.pop();
  assert.equal(restoreEvent.eventName, 'RestoreBackup');
  assert.deepEqual(again, payload, 'deep-equal after a round trip');

  // One character changed: refused, with a plain message; nothing is shown or changed.
  const tampered = plain.replace('private note 1', 'private note 9');
  assert.notEqual(tampered, plain);
  await openBackup(page, tampered);
  await page.locator('#restore-error', { hasText: 'damaged or was changed' }).waitFor();
  assert.equal(await page.locator('#restore-preview').count(), 0);

  // Protected by a passphrase: nothing readable in the file; a wrong passphrase reads nothing.
  await page.locator('#backup-protect').check();
  await page.locator('#backup-passphrase').fill('short');
  await page.locator('#backup-make').click();
  await page.locator('#backup-passphrase-error', { hasText: 'at least 12' }).waitFor();
  await page.locator('#backup-passphrase').fill('correct horse battery staple');
  await page.locator('#backup-confirm').fill('correct horse battery staple');
  const sealed = await download(page, '#backup-make');
  assert.ok(!sealed.includes('private note') && !sealed.includes('bk-a') && !sealed.includes('本番'));
  assert.equal(JSON.parse(sealed).encryption.iterations, 600000);
  await openBackup(page, sealed);
  await page.locator('#restore-passphrase').fill('wrong horse battery staple');
  await page.locator('#restore-open').click();
  await page.locator('.flash', { hasText: 'The passphrase does not open this backup' }).waitFor();
  assert.equal(await page.locator('#restore-preview').count(), 0);
  await page.locator('#restore-passphrase').fill('correct horse battery staple');
  await page.locator('#restore-open').click();
  await page.locator('#restore-groups', { hasText: '2 the same' }).waitFor();
  await context.close();
});

test('resources removed from the inventory come back with Undo', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.root.url + 'resources');
  await expectHeading(page, 'Resources');
  const list = ['アリス', 'bob', 'شهد'].map((n, i) => ({ ResourceARN: `arn:aws:sns:ap-northeast-1:123456789012:topic-${i}`, Tags: [{ Key: 'Owner', Value: n }] }));
  await page.getByLabel('Or paste JSON or CSV').fill(JSON.stringify({ ResourceTagMappingList: list }));
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (3)' }).click();
  await page.locator('.flash', { hasText: 'Resources imported' }).waitFor();
  const before = await records(page, 'inventory');
  await page.getByRole('button', { name: 'Select all 3 matching' }).click();
  await page.locator('#remove-resources').click();
  const dialog = page.getByRole('dialog');
  assert.match(await dialog.textContent(), /Remove 3 resources\?/);
  await dialog.getByLabel(/type “confirm”/).fill('confirm');
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await page.locator('.flash', { hasText: '3 resource(s) removed' }).waitFor();
  await page.locator('#resources-heading .counter', { hasText: '(0)' }).waitFor();
  await page.locator('.flash', { hasText: '3 resource(s) removed' }).getByRole('button', { name: 'Undo' }).click();
  await page.locator('#resources-heading .counter', { hasText: '(3)' }).waitFor();
  assert.deepEqual(await records(page, 'inventory'), before);
  await context.close();
});
