// The inventory from the backend: moto's Tagging API over HTTPS (tests/e2e/backend.mjs), with
// EC2 instances, SQS queues, SNS topics and DynamoDB tables that boto3 created in two regions
// (non-ASCII keys and values). "Refresh inventory" must show exactly what boto3's
// get_resources lists there, minus what our checks refuse (listed with a reason, not stored),
// keep imported resources apart, and replace only the regions pulled.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeProblems } from './helpers.mjs';
import { configureBackend, goVia as go, useBackendApp } from './backend.mjs';

const env = useBackendApp();
const configure = (page) => configureBackend(page, env);

/** The ARNs and source column of the Resources table. */
async function table(page) {
  return page.locator('[aria-labelledby="resources-heading"] table tbody tr').evaluateAll((rows) => rows.map((r) => [r.querySelector('th').textContent, r.querySelector('td.cell-source').textContent]));
}

test('a pull shows what get_resources lists, refuses what the checks refuse, and replaces only its regions', async () => {
  const seeded = await env.backend.rg('seed-inventory');
  assert.equal(seeded.count, 16);
  const east = await env.backend.rg('get-resources', 'us-east-1');
  const west = await env.backend.rg('get-resources', 'eu-west-1');
  // "Cost Center"="R&D 2": AWS does not allow "&" in a tag (moto does not check): refused.
  const allowed = (m) => !Object.values(m.Tags).some((v) => v.includes('&'));

  // bypassCSP: axe is injected as a script (see helpers.mjs).
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await configure(page);
  await go(page, 'Resources', 'Resources');
  // An import first: it must survive the pulls.
  await page.getByLabel('Or paste JSON or CSV').fill('{"ResourceTagMappingList":[{"ResourceARN":"arn:aws:s3:::imported-here","Tags":[{"Key":"Origin","Value":"file"}]}]}');
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (1)' }).click();
  await page.locator('.flash', { hasText: 'Resources imported' }).waitFor();

  // The backend's region is chosen at first; add eu-west-1.
  assert.equal(await page.locator('#pull-region-us-east-1').isChecked(), true);
  await page.locator('#pull-region-eu-west-1').check();
  await page.locator('#pull-start').click();
  await page.locator('.flash', { hasText: 'Inventory refreshed' }).waitFor({ timeout: 60000 });
  // moto lists S3 buckets in every region (AWS only in the bucket's own): such an ARN is
  // kept once, marked with one of the regions that listed it.
  const eastArns = new Set(east.map((m) => m.ARN));
  const westArns = new Set(west.map((m) => m.ARN));
  const both = (arn) => eastArns.has(arn) && westArns.has(arn);
  assert.ok(east.some((m) => m.ARN.includes(':s3:::donnees-') && both(m.ARN)), 'tagged buckets are listed');
  assert.ok(![...east, ...west].some((m) => m.ARN.includes('never-tagged')), 'a bucket never tagged is not listed');
  const label = (row) => (both(row[0]) && row[1].startsWith('pulled · ') ? 'pulled · (either)' : row[1]);
  const want = [...new Map([
    ['arn:aws:s3:::imported-here', 'imported'],
    ...east.filter(allowed).map((m) => [m.ARN, 'pulled · us-east-1']),
    ...west.filter(allowed).map((m) => [m.ARN, 'pulled · eu-west-1']),
  ]).entries()].map((r) => [r[0], label(r)]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  assert.deepEqual((await table(page)).map((r) => [r[0], label(r)]), want);
  // The refused ones are listed with their ARN and a reason, and not stored.
  const refused = await page.locator('#pull-heading ~ table tbody tr td.mono').allTextContents();
  assert.deepEqual(refused.sort(), [...east, ...west].filter((m) => !allowed(m)).map((m) => m.ARN).sort());

  // The pull panel and its list of refusals pass axe in both themes.
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    assert.deepEqual(await axeProblems(page), [], colorScheme);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // The finder over pulled tags: the same as a brute force over boto3's answer.
  await page.getByLabel('Find resources').fill('環境=本番');
  const prod = [...new Set([...east, ...west].filter(allowed).filter((m) => m.Tags['環境'] === '本番').map((m) => m.ARN))].sort();
  await page.waitForFunction((n) => document.querySelectorAll('[aria-labelledby="resources-heading"] table tbody tr').length === n, prod.length);
  assert.deepEqual((await table(page)).map((r) => r[0]), prod);
  await page.getByLabel('Find resources').fill('');

  // A reviewed bulk change goes to the backend: boto3 then reads the new tags. moto's
  // TagResources does not take SQS queues ("Service not yet supported", per resource in
  // FailedResourcesMap): those are listed with the backend's code and left unchanged here.
  const live = [...east, ...west].filter(allowed);
  const picked = live.filter((m) => /:(sqs|sns|ec2):/.test(m.ARN)).map((m) => m.ARN);
  const queues = picked.filter((a) => a.includes(':sqs:'));
  for (const arn of picked) await page.getByLabel(`Select ${arn}`).check();
  await page.getByRole('button', { name: `Edit tags (${picked.length})` }).click();
  // Tag key fields suggest the account's keys (the inventory's, and GetTagKeys'), and the
  // value field the values of the key typed.
  const keys = await page.evaluate(() => [...document.querySelectorAll('datalist[id$="key-suggestions"] option')].map((o) => o.value));
  for (const k of ['環境', 'Équipe', 'צוות', 'Owner']) assert.ok(keys.includes(k), `${k} in ${keys}`);
  await page.getByLabel('Tag key 1').fill('Équipe');
  await page.waitForFunction(() => [...document.querySelectorAll('datalist[id*="value-suggestions"] option')].some((o) => o.value === 'Données'));
  await page.getByLabel('Tag value 1').fill('Plateforme 2');
  await page.getByLabel('Remove tag keys - optional').fill('Owner');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.getByRole('button', { name: 'Apply changes' }).click();
  await page.locator('.flash', { hasText: 'Some tags were not changed' }).waitFor({ timeout: 60000 });
  const failedArns = await page.locator('#tag-failures tbody th').allTextContents();
  assert.deepEqual(failedArns.sort(), queues.sort());
  assert.match(await page.locator('#tag-failures tbody').textContent(), /not yet supported/);
  const after = [...(await env.backend.rg('get-resources', 'us-east-1')), ...(await env.backend.rg('get-resources', 'eu-west-1'))];
  for (const arn of picked) {
    const tags = after.find((m) => m.ARN === arn).Tags;
    if (queues.includes(arn)) {
      assert.ok(!('Équipe' in tags), `${arn} was refused, so unchanged`);
    } else {
      assert.equal(tags['Équipe'], 'Plateforme 2', arn);
      assert.ok(!('Owner' in tags), arn);
    }
  }
  const untouched = after.find((m) => m.ARN.includes(':dynamodb:'));
  assert.ok(!('Équipe' in untouched.Tags), 'resources not selected keep their tags');
  // The editor with the backend's refusals passes axe too.
  assert.deepEqual(await axeProblems(page), []);
  // "Retry failed" sends only the failed ones again (and moto refuses them again).
  await page.getByRole('button', { name: 'Retry failed' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('#tag-failures tbody tr').length === n, queues.length);
  assert.equal(await page.getByRole('button', { name: `Edit tags (${queues.length})` }).count(), 1);
  await page.getByRole('button', { name: 'Cancel' }).first().click();
  // And the table shows the same, without a new pull.
  await page.getByLabel('Find resources').fill('Équipe="Plateforme 2"');
  await page.waitForFunction((n) => document.querySelectorAll('[aria-labelledby="resources-heading"] table tbody tr').length === n, picked.length - queues.length);
  await page.getByLabel('Find resources').fill('');

  // The backend changes; a pull of us-east-1 only replaces us-east-1.
  const queue = east.find((m) => m.ARN.includes(':sqs:'));
  await env.backend.rg('reset');
  await env.backend.rg('seed-inventory');
  const east2 = await env.backend.rg('get-resources', 'us-east-1');
  await page.locator('#pull-region-eu-west-1').uncheck();
  await page.locator('#pull-start').click();
  await page.locator('.flash', { hasText: 'one region (us-east-1)' }).waitFor({ timeout: 60000 });
  const rows = await table(page);
  const eastRows = rows.filter((r) => r[1] === 'pulled · us-east-1').map((r) => r[0]);
  assert.deepEqual(eastRows, east2.filter(allowed).map((m) => m.ARN).sort());
  // Instances got new IDs in the new seed, queues kept their names: the old instances left.
  assert.ok(eastRows.includes(queue.ARN));
  const east2Arns = new Set(east2.map((m) => m.ARN));
  assert.equal(rows.filter((r) => r[1] === 'pulled · eu-west-1').length, west.filter(allowed).filter((m) => !east2Arns.has(m.ARN)).length);
  assert.ok(rows.some((r) => r[0] === 'arn:aws:s3:::imported-here' && r[1] === 'imported'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a plan over 250 resources goes out in calls of at most 20 ARNs, three injected failures are retried, and re-applying sends nothing', async () => {
  await env.backend.rg('seed-many', 'us-east-1', '250');
  const seeded = (await env.backend.rg('get-resources', 'us-east-1')).filter((m) => m.Tags.Lot === 'ベンチ');
  assert.equal(seeded.length, 250);
  const arns = seeded.map((m) => m.ARN);
  // Three resources fail with the service's own error (moto never does), retryable: in
  // both calls the plan makes for them (tag, then untag), so they stay as they were.
  const failing = [arns[7], arns[123], arns[249]];
  await env.backend.rg('fail-tagging', '2', ...failing);

  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await configure(page);
  await go(page, 'Resources', 'Resources');
  await page.locator('#pull-start').click();
  await page.locator('.flash', { hasText: 'Inventory refreshed' }).waitFor({ timeout: 60000 });

  await page.getByLabel('Find resources').fill('Lot=ベンチ');
  await page.getByRole('button', { name: 'Select all 250 matching' }).click();
  await page.getByRole('button', { name: 'Edit tags (250)' }).click();
  await page.getByLabel('Tag key 1').fill('Lot');
  await page.getByLabel('Tag value 1').fill('適用済み 2');
  await page.getByLabel('Remove tag keys - optional').fill('環境');
  await env.backend.rg('tagging-calls', 'clear');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.locator('.import-preview', { hasText: '250 of the 250 selected resource(s) change' }).waitFor();
  await page.getByRole('button', { name: 'Apply changes' }).click();
  await page.locator('.flash', { hasText: 'Some tags were not changed' }).waitFor({ timeout: 60000 });

  // Calls of at most 20 ARNs: 13 to tag (250 = 12 × 20 + 10) and 13 to untag.
  const calls = await env.backend.rg('tagging-calls');
  assert.ok(calls.every(([, n]) => n >= 1 && n <= 20), JSON.stringify(calls));
  const sent = (op) => calls.filter(([o]) => o === op).reduce((sum, [, n]) => sum + n, 0);
  assert.equal(sent('TagResources'), 250);
  assert.equal(sent('UntagResources'), 250);
  assert.equal(calls.length, 26);

  // Exactly the three, each retryable, with the backend's code.
  const rows = await page.locator('#tag-failures tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent, tr.textContent]));
  assert.deepEqual(rows.map((r) => r[0]).sort(), [...failing].sort());
  for (const [, text] of rows) {
    assert.match(text, /InternalServiceException/);
    assert.match(text, /yes/);
  }
  // boto3 reads the new tags on the 247 others; the three are unchanged.
  let now = await env.backend.rg('get-resources', 'us-east-1');
  const byArn = new Map(now.map((m) => [m.ARN, m.Tags]));
  for (const arn of arns) {
    const tags = byArn.get(arn);
    if (failing.includes(arn)) {
      assert.deepEqual([tags.Lot, tags['環境']], ['ベンチ', '本番'], arn);
    } else {
      assert.deepEqual([tags.Lot, '環境' in tags], ['適用済み 2', false], arn);
    }
  }

  // "Retry failed" sends the three only (one call each way), and they now take.
  await env.backend.rg('tagging-calls', 'clear');
  await page.getByRole('button', { name: 'Retry failed' }).click();
  await page.locator('.flash', { hasText: 'Tags changed on 3 resource(s).' }).waitFor({ timeout: 60000 });
  assert.deepEqual(await env.backend.rg('tagging-calls'), [['TagResources', 3], ['UntagResources', 3]]);
  // Done: the editor closes with nothing left to retry.
  assert.equal(await page.locator('#tag-failures').count(), 0);
  now = await env.backend.rg('get-resources', 'us-east-1');
  for (const arn of failing) assert.equal(now.find((m) => m.ARN === arn).Tags.Lot, '適用済み 2');

  // The same change again is already in effect: nothing to apply, no call.
  await page.getByLabel('Find resources').fill('Lot="適用済み 2"');
  await page.getByRole('button', { name: 'Select all 250 matching' }).click();
  await page.getByRole('button', { name: 'Edit tags (250)' }).click();
  await page.getByLabel('Tag key 1').fill('Lot');
  await page.getByLabel('Tag value 1').fill('適用済み 2');
  await page.getByLabel('Remove tag keys - optional').fill('環境');
  await env.backend.rg('tagging-calls', 'clear');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.locator('.import-preview', { hasText: '0 of the 250 selected resource(s) change' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Apply changes' }).isDisabled(), true);
  assert.deepEqual(await env.backend.rg('tagging-calls'), []);
  assert.deepEqual(errors, []);
  await context.close();
});
