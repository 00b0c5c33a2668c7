// Data management through the UI: the activity log (no descriptions, JSON Lines export), export
// → delete all → import round trip, and an import with a rejected record.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SHOTS, expectHeading, useApp } from './helpers.mjs';

const env = useApp();

async function createGroup(page, name, description = '') {
  await page.goto(env.root.url + 'groups/new');
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill(name);
  if (description) await page.getByLabel('Description - optional').fill(description);
  await page.getByLabel('Filter key 1').fill('Stage');
  await page.getByLabel('Filter values 1').fill('Prod, Test');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, name);
}

async function groupNames(page) {
  await page.goto(env.root.url + 'groups');
  await expectHeading(page, 'Groups');
  await page.locator('#groups-heading .counter').waitFor();
  return page.locator('table tbody th').allTextContents();
}

test('activity lists changes without descriptions and exports JSON Lines', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await createGroup(page, 'alpha', 'Secret launch plans');
  await createGroup(page, 'beta');
  await page.goto(env.root.url + 'activity');
  await expectHeading(page, 'Activity');
  await page.locator('table tbody tr').first().waitFor();
  assert.equal(await page.locator('table tbody tr').count(), 2);
  const text = await page.locator('main').textContent();
  assert.ok(!text.includes('Secret launch plans'));
  assert.match(text, /newest 10000 events are kept/);

  await page.getByLabel('Group').selectOption('alpha');
  assert.equal(await page.locator('table tbody tr').count(), 1);
  await page.screenshot({ path: `${SHOTS}/activity.png`, fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON Lines' }).click()]);
  const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n');
  assert.equal(lines.length, 1);
  const event = JSON.parse(lines[0]);
  assert.equal(event.eventName, 'CreateGroup');
  assert.equal(event.groupName, 'alpha');
  assert.ok(!lines[0].includes('Secret'));
  await context.close();
});

test('export, delete all, import: the same groups come back', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await createGroup(page, 'one', 'first group');
  await createGroup(page, 'two');
  const before = await groupNames(page);

  await page.goto(env.root.url + 'settings');
  await expectHeading(page, 'Settings');
  await page.getByLabel(/Include descriptions/).check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export all groups' }).click()]);
  const file = await download.path();
  const exported = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(exported.Groups.length, 2);
  assert.equal(exported.Groups[0].Group.Description, 'first group');
  assert.equal(exported.Groups[0].GroupQuery.ResourceQuery.Type, 'TAG_FILTERS_1_0');

  // Typed confirmation guards "Delete all data".
  const del = page.getByRole('button', { name: 'Delete all data' });
  assert.equal(await del.isDisabled(), true);
  await page.getByLabel(/To confirm, type/).fill('delete');
  await del.click();
  await page.locator('.flash', { hasText: 'All data deleted' }).waitFor();
  assert.deepEqual(await groupNames(page), []);

  await page.goto(env.root.url + 'settings');
  await page.getByLabel('Choose a file').setInputFiles(file);
  await page.waitForFunction(() => document.getElementById('import-text').value.length > 0);
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.locator('.import-preview', { hasText: '2 new' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/settings-import-preview.png`, fullPage: true });
  await page.getByRole('button', { name: 'Import all (2)' }).click();
  await page.locator('.flash', { hasText: 'Import complete' }).waitFor();
  assert.deepEqual(await groupNames(page), before);
  await context.close();
});

test('an import with a bad record shows why and can take only the valid ones', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const q = JSON.stringify({ ResourceTypeFilters: ['AWS::AllSupported'], TagFilters: [{ Key: 'Stage', Values: [] }] });
  const entry = (name) => ({ Group: { GroupArn: '', Name: name }, GroupQuery: { GroupName: name, ResourceQuery: { Type: 'TAG_FILTERS_1_0', Query: q } }, Tags: {} });
  const doc = JSON.stringify({ Groups: [entry('good-one'), entry('acct-123456789012')] }, null, 2);

  await page.goto(env.root.url + 'settings');
  await expectHeading(page, 'Settings');
  await page.getByLabel('Or paste JSON').fill('{\n  "Groups": [\n    {,\n  ]\n}');
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.locator('.alert-error', { hasText: 'Line 3, column 6' }).waitFor();

  await page.getByLabel('Or paste JSON').fill(doc);
  await page.getByRole('button', { name: 'Preview import' }).click();
  const preview = page.locator('.import-preview');
  await preview.locator('text=1 rejected').waitFor();
  const row = await preview.locator('tbody tr').textContent();
  assert.match(row, /AWS account ID/);
  assert.ok(!row.includes('123456789012'), 'the rejected name is not repeated');
  assert.equal(await page.getByRole('button', { name: 'Import all (1)' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Import only the valid ones (1)' }).click();
  await page.locator('.flash', { hasText: 'Import complete' }).waitFor();
  assert.deepEqual(await groupNames(page), ['good-one']);
  await context.close();
});

test('imported resources appear, feed the query preview, and export as CSV', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(env.root.url + 'resources');
  await expectHeading(page, 'Resources');
  const csv = [
    'ARN,Stage,Team',
    'arn:aws:ec2:us-east-1:123456789012:instance/i-0aaa,Prod,web',
    'arn:aws:ec2:us-east-1:123456789012:instance/i-0bbb,Dev,web',
    'arn:aws:s3:::logs-bucket,Prod,data',
    'not-an-arn,Prod,web',
    'arn:aws:s3:::cards,4111 1111 1111 1111,x',
  ].join('\n');
  await page.getByLabel('Or paste JSON or CSV').fill(csv);
  await page.getByRole('button', { name: 'Preview import' }).click();
  const preview = page.locator('.import-preview');
  await preview.locator('text=3 valid').waitFor();
  assert.equal(await preview.locator('tbody tr').count(), 2);
  assert.match(await preview.locator('tbody').textContent(), /payment card/);
  await page.getByRole('button', { name: 'Import only the valid ones (3)' }).click();
  await page.locator('.flash', { hasText: 'Resources imported' }).waitFor();
  await page.locator('table >> text=logs-bucket').waitFor();
  await page.getByLabel('Find resources').fill('i-0');
  assert.equal(await page.locator('table tbody tr').count(), 2);
  await page.screenshot({ path: `${SHOTS}/resources.png`, fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const exported = await readFile(await download.path(), 'utf8');
  assert.equal(exported.trim().split('\n').length, 4);
  assert.match(exported, /^ARN,Stage,Team/);

  // The create form's preview counts matching resources as the query changes.
  await page.goto(env.root.url + 'groups/new');
  await expectHeading(page, 'Create group');
  await page.getByLabel('Filter key 1').fill('Stage');
  await page.locator('.preview', { hasText: '3 of the 3' }).waitFor();
  await page.getByLabel('Filter values 1').fill('Prod');
  await page.locator('.preview', { hasText: '2 of the 3' }).waitFor();
  await page.getByLabel('All supported resource types').uncheck();
  await page.getByLabel('Search resource types').fill('bucket');
  await page.getByRole('checkbox', { name: 'AWS::S3::Bucket' }).check();
  assert.equal(await page.getByRole('button', { name: 'Remove AWS::S3::Bucket' }).count(), 1, 'shown as a chip');
  await page.locator('.preview', { hasText: '1 of the 3' }).waitFor();
  // "Prod" became a chip when the field lost focus; swap it for "Dev".
  await page.getByRole('button', { name: 'Remove value Prod' }).click();
  await page.getByLabel('Filter values 1').fill('Dev');
  await page.locator('.preview', { hasText: '0 of the 3' }).waitFor();
  await context.close();
});

test('bulk tagging: select resources, review the changes, apply them in one step', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.root.url + 'resources');
  await expectHeading(page, 'Resources');
  await page.getByLabel('Or paste JSON or CSV').fill('ARN,Team\narn:aws:s3:::one,web\narn:aws:s3:::two,data\narn:aws:s3:::three,web\n');
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (3)' }).click();
  await page.locator('.flash', { hasText: 'Resources imported' }).waitFor();

  await page.getByLabel('Select arn:aws:s3:::one').check();
  await page.getByLabel('Select arn:aws:s3:::two').check();
  await page.getByRole('button', { name: 'Edit tags (2)' }).click();
  await page.getByLabel('Tag key 1').fill('Owner');
  await page.getByLabel('Tag value 1').fill('ops');
  await page.getByLabel('Remove tag keys - optional').fill('Team');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.locator('.tag-editor', { hasText: '2 of the 2 selected resource(s) change' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/resources-bulk-tag.png`, fullPage: true });
  await page.getByRole('button', { name: 'Apply changes' }).click();
  await page.locator('.flash', { hasText: 'Tags changed on 2 resource(s)' }).waitFor();
  const byArn = Object.fromEntries(
    await page.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent, tr.lastElementChild.textContent])),
  );
  assert.match(byArn['arn:aws:s3:::one'], /Owner=ops/);
  assert.doesNotMatch(byArn['arn:aws:s3:::one'], /Team=/);
  assert.match(byArn['arn:aws:s3:::three'], /Team=web/);

  // A guarded value is refused before review.
  await page.getByLabel('Select arn:aws:s3:::three').check();
  await page.getByRole('button', { name: 'Edit tags (1)' }).click();
  await page.getByLabel('Tag key 1').fill('Account');
  await page.getByLabel('Tag value 1').fill('123456789012');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.locator('.tag-editor .form-error', { hasText: 'AWS account ID' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Apply changes' }).count(), 0);
  await page.goto(env.root.url + 'activity');
  await page.getByRole('rowheader', { name: 'TagResources', exact: true }).waitFor();
  await page.getByRole('rowheader', { name: 'UntagResources', exact: true }).waitFor();
  await context.close();
});

test('a CloudFormation-stack group previews the resources of its stack', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const stack = 'arn:aws:cloudformation:us-east-1:123456789012:stack/web/1a2b';
  await page.goto(env.root.url + 'resources');
  await expectHeading(page, 'Resources');
  await page.getByLabel('Or paste JSON or CSV').fill(
    JSON.stringify({
      ResourceTagMappingList: [
        { ResourceARN: 'arn:aws:s3:::web-assets', Tags: [{ Key: 'aws:cloudformation:stack-id', Value: stack }] },
        { ResourceARN: 'arn:aws:s3:::other', Tags: [{ Key: 'aws:cloudformation:stack-id', Value: stack.replace('web', 'api') }] },
      ],
    }),
  );
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (2)' }).click();
  await page.locator('.flash', { hasText: 'Resources imported' }).waitFor();

  await page.goto(env.root.url + 'groups/new');
  await expectHeading(page, 'Create group');
  await page.getByLabel('CloudFormation stack based').check();
  await page.getByLabel('Name', { exact: true }).fill('web-stack');
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.locator('.form-error', { hasText: 'ARN of the CloudFormation stack' }).waitFor();
  await page.getByLabel('CloudFormation stack ARN').fill(stack);
  await page.locator('.preview', { hasText: '1 of the 2' }).waitFor();
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, 'web-stack');
  assert.match(await page.locator('.key-values').textContent(), /CLOUDFORMATION_STACK_1_0/);
  await page.locator('.tab-panel >> text=arn:aws:s3:::web-assets').waitFor();
  await context.close();
});

test('a real get-resources answer with CJK, accented, Hebrew and Arabic tags imports and matches', async () => {
  // Made by moto from boto3-created resources (tests/fixtures/make_fixtures.py): the JSON the
  // AWS CLI prints. Such a file used to abort the app (a byte slice inside 環).
  const fixture = await readFile(fileURLToPath(new URL('../fixtures/get-resources.json', import.meta.url)), 'utf8');
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(env.root.url + 'resources');
  await expectHeading(page, 'Resources');
  await page.getByLabel('Or paste JSON or CSV').fill(fixture);
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.locator('.import-preview', { hasText: '7 valid' }).waitFor();
  await page.getByRole('button', { name: 'Import all (7)' }).click();
  await page.locator('.flash', { hasText: 'Resources imported' }).waitFor();
  await page.locator('table >> text=cafe-grosse-assets').waitFor();
  await page.getByLabel('Find resources').fill('本番');
  assert.equal(await page.locator('table tbody tr').count(), 4);
  await page.getByLabel('Find resources').fill('Équipe');
  assert.equal(await page.locator('table tbody tr').count(), 1);

  // A group query on the CJK key counts the right resources.
  await page.goto(env.root.url + 'groups/new');
  await expectHeading(page, 'Create group');
  await page.getByLabel('Filter key 1').fill('環境');
  await page.locator('.preview', { hasText: '5 of the 7' }).waitFor();
  await page.getByLabel('Filter values 1').fill('本番');
  await page.locator('.preview', { hasText: '4 of the 7' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill('honban');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, 'honban');
  assert.deepEqual(problems, []);
  await context.close();
});
