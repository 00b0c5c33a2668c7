// The data-protection audit. With sync: moto (tests/e2e/backend.mjs) holds groups that boto3
// created with an account ID in a name, a card number in a tag and a GitHub token in a
// description; the pull refuses all three (nothing of them is stored) and the audit shows
// exactly those three findings, masked, with the top-bar count, and an exported report that
// holds neither the digits nor the token. In local mode the audit sends no request at all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { axeProblems, expectHeading } from './helpers.mjs';
import { configureBackend, goVia as go, useBackendApp } from './backend.mjs';

const env = useBackendApp();
const configure = (page) => configureBackend(page, env);

async function syncNow(page) {
  await page.locator('#sync-now:not([disabled])').click();
  await page.waitForFunction(() => (document.getElementById('sync-status')?.textContent || '').startsWith('Idle.'), null, { timeout: 60000 });
  // A push held for agreement (the first to this backend): agreed, quietly from now on.
  if ((await page.locator('#outgoing-send-quiet').count()) > 0) {
    const runs = Number(await page.locator('#sync-status').getAttribute('data-runs'));
    await page.locator('#outgoing-send-quiet').click();
    await page.waitForFunction((runs) => {
      const el = document.getElementById('sync-status');
      return Number(el?.dataset.runs) > runs && el.textContent.startsWith('Idle.');
    }, runs, { timeout: 60000 });
  }
}

/** The findings table as [severity, rule, where, field, excerpt]. */
async function findings(page) {
  await page.locator('#audit-status', { hasText: 'Audited' }).waitFor({ timeout: 30000 });
  await page.locator('#findings-table, .empty-state').first().waitFor();
  return page.locator('#findings-table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td, th')].slice(0, 5).map((c) => c.textContent.trim())));
}

test('the audit finds exactly the three sensitive values a pull refused, masked, and the report holds none of them', async () => {
  const secrets = await env.backend.rg('seed-sensitive');
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await configure(page);
  await syncNow(page);

  // Only the clean group was taken; the other three are listed as refused, with no values.
  await go(page, 'Groups', 'Groups');
  assert.deepEqual(await page.locator('tbody th.cell-name').allTextContents(), ['clean-web']);

  await go(page, 'Data protection', 'Data protection');
  const rows = await findings(page);
  const ACCOUNT = `billing-${'\u2022'.repeat(8)}7164`;
  assert.deepEqual(rows.map(([severity, rule, where, field]) => [severity, rule, where, field]).sort(), [
    ['Blocked', 'AWS account ID', `Backend group ${ACCOUNT} (not stored)`, 'name'],
    ['Blocked', 'access token', 'Backend group deploy (not stored)', 'description'],
    ['Blocked', 'payment card number', 'Backend group payments (not stored)', 'tag value of \u201cCardOnFile\u201d'],
  ].sort());
  assert.equal(rows.find((r) => r[3] === 'name')[4], ACCOUNT);
  // Masked: at most the last 4 characters of a match show.
  for (const [, , , , excerpt] of rows) assert.match(excerpt, /\u2022{4,}/);
  await page.locator('#audit-badge', { hasText: '3 data-protection findings' }).waitFor();
  await page.locator('#audit-outcome', { hasText: '3 finding(s): 3 blocked, 0 warning(s)' }).waitFor();

  // Nothing on the page repeats the data.
  const text = await page.locator('body').textContent();
  for (const v of [secrets.account, secrets.card, secrets.token, secrets.token.slice(4, 20), '4111 1111']) {
    assert.ok(!text.includes(v), `the page shows ${v}`);
  }

  // Filters: by rule, by place, by text (which never searches under the dots).
  await page.locator('#findings-rule').selectOption('payment card number');
  assert.equal((await findings(page)).length, 1);
  await page.locator('#findings-rule').selectOption('');
  await page.locator('#findings-place').selectOption('group');
  await page.locator('.empty-state, #findings-table').first().waitFor();
  assert.equal(await page.locator('#findings-table tbody tr').count(), 0);
  await page.locator('#findings-place').selectOption('');
  await page.locator('#findings-text').fill('8420');
  await page.locator('#findings-count', { hasText: '(0 of 3)' }).waitFor();
  await page.locator('#findings-text').fill('deploy');
  await page.locator('#findings-count', { hasText: '(1 of 3)' }).waitFor();
  await page.locator('#findings-text').fill('');

  // The export: places and rule names, never the values or the excerpts.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#audit-export').click()]);
  const report = await readFile(await download.path(), 'utf8');
  for (const v of [secrets.account, secrets.card, secrets.token, '4111', '7164', '\u2022\u2022']) {
    assert.ok(!report.includes(v), `the report holds ${v}`);
  }
  const parsed = JSON.parse(report);
  assert.equal(parsed.format, 'group-console-audit');
  assert.deepEqual(parsed.findings.map((f) => [f.place, f.field, f.rule]).sort(), [
    ['backend', 'description', 'access token'],
    ['backend', 'name', 'AWS account ID'],
    ['backend', 'tag value', 'payment card number'],
  ]);
  assert.equal(parsed.findings.find((f) => f.field === 'tag value').key, 'CardOnFile');

  // Nothing refused was stored: a dump of IndexedDB holds none of the values.
  const dump = await page.evaluate(async () => {
    const db = await new Promise((ok, err) => { const r = indexedDB.open('group-console'); r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
    const out = [];
    for (const name of db.objectStoreNames) {
      const all = await new Promise((ok) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); });
      out.push(JSON.stringify(all));
    }
    db.close();
    return out.join('\n') + JSON.stringify(localStorage);
  });
  for (const v of [secrets.account, secrets.card, secrets.token]) assert.ok(!dump.includes(v), `stored: ${v}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('guided fixes: a tag value and a description fixed on the backend, a name fixed by a copy, then zero findings (boto3 confirms)', async () => {
  const secrets = await env.backend.rg('seed-sensitive');
  const original = await env.backend.rg('get', `billing-${secrets.account}`);
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await configure(page);
  await syncNow(page);
  await go(page, 'Data protection', 'Data protection');
  assert.equal((await findings(page)).length, 3);
  const row = (where) => page.locator('#findings-table tbody tr', { has: page.locator('th', { hasText: where }) });

  // The card number: a new value for the tag, typed; the old one is never shown.
  await row('Backend group payments').getByRole('button', { name: 'Fix' }).click();
  await page.locator('#fix-title', { hasText: 'Fix Backend group payments' }).waitFor();
  assert.ok(!(await page.locator('#fix-panel').textContent()).includes('4111 1111'));
  await page.getByLabel('New value of the tag \u201cCardOnFile\u201d').fill('5500 0000 0000 0004');
  await page.locator('#fix-save').click();
  // Another card number is refused next to the button, and nothing is sent.
  await page.locator('#fix-error', { hasText: 'payment card' }).waitFor();
  assert.equal((await env.backend.rg('get', 'payments')).Tags.CardOnFile, secrets.card);
  await page.getByLabel('New value of the tag \u201cCardOnFile\u201d').fill('on file');
  await page.locator('#fix-save').click();
  await page.locator('.flash', { hasText: 'Fixed on the backend' }).waitFor({ timeout: 30000 });
  assert.deepEqual((await env.backend.rg('get', 'payments')).Tags, { CardOnFile: 'on file', Team: 'pay' });

  // The token in a description: the editor starts without it.
  await findings(page);
  await row('Backend group deploy').getByRole('button', { name: 'Fix' }).click();
  const description = page.getByLabel('Description (what was found has been taken out)');
  await page.waitForFunction(() => document.querySelector('#fix-panel textarea')?.value === 'Deploy with');
  await description.fill('Deploy with the CI role');
  await page.locator('#fix-save').click();
  await page.locator('.flash', { hasText: 'Fixed on the backend' }).nth(1).waitFor({ timeout: 30000 });
  assert.equal((await env.backend.rg('get', 'deploy')).Description, 'Deploy with the CI role');

  // The name: a copy under a new name, then the original deleted after a typed confirmation.
  await findings(page);
  await row('Backend group billing-').getByRole('button', { name: 'Copy to a new name' }).click();
  await expectHeading(page, 'Create group');
  await page.locator('#copy-notice').waitFor();
  // The form starts without what was found, and says what was taken out.
  const name = page.getByLabel('Name', { exact: true });
  assert.equal(await name.inputValue(), 'billing-');
  await page.locator('#copy-notice', { hasText: 'the flagged part of the name' }).waitFor();
  assert.ok(!(await page.locator('body').textContent()).includes(secrets.account.slice(-4)));
  await name.fill('billing-prod');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, 'Data protection');
  await page.locator('#finish-copy').waitFor();
  await page.locator('#finish-copy-confirm').fill('delete');
  await page.locator('#finish-copy-delete').click();
  await page.locator('.flash', { hasText: 'replaces the original' }).waitFor({ timeout: 60000 });
  const names = await env.backend.rg('list');
  assert.ok(names.includes('billing-prod') && !names.includes(`billing-${secrets.account}`), JSON.stringify(names));
  const copy = await env.backend.rg('get', 'billing-prod');
  assert.deepEqual(JSON.parse(copy.Query.Query), JSON.parse(original.Query.Query));
  assert.deepEqual(copy.Tags, original.Tags);

  // A second audit: nothing left, and the count is gone from the top bar.
  await page.locator('#audit-run').click();
  await page.locator('#audit-outcome', { hasText: 'No findings' }).waitFor({ timeout: 30000 });
  assert.equal(await page.locator('#audit-badge').count(), 0);
  // The activity log has the three fixes, naming only clean names.
  await go(page, 'Activity', 'Activity');
  const events = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
  const fixes = events.filter((e) => e[1] === 'FixSensitiveData');
  assert.equal(fixes.length, 3, JSON.stringify(events));
  assert.ok(!JSON.stringify(events).includes(secrets.account));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a copy under a new name whose original cannot be deleted on the backend keeps both and says so; trying again finishes it', async () => {
  const secrets = await env.backend.rg('seed-sensitive');
  const original = `billing-${secrets.account}`;
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await configure(page);
  await syncNow(page);
  await go(page, 'Data protection', 'Data protection');
  await findings(page);
  await page.locator('#findings-table tbody tr', { has: page.locator('th', { hasText: 'Backend group billing-' }) })
    .getByRole('button', { name: 'Copy to a new name' }).click();
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill('billing-prod');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, 'Data protection');
  // The delete of the original does not get through; the copy does.
  await context.route('**/delete-group', (route) => route.abort('connectionrefused'));
  await page.locator('#finish-copy-confirm').fill('delete');
  await page.locator('#finish-copy-delete').click();
  await page.locator('#finish-copy-error', { hasText: 'Both groups exist' }).waitFor({ timeout: 120000 });
  let names = await env.backend.rg('list');
  assert.ok(names.includes('billing-prod') && names.includes(original), JSON.stringify(names));
  // Trying again once the backend can be reached finishes the fix.
  await context.unroute('**/delete-group');
  await page.locator('#finish-copy-delete').click();
  await page.locator('.flash', { hasText: 'replaces the original' }).waitFor({ timeout: 60000 });
  names = await env.backend.rg('list');
  assert.ok(names.includes('billing-prod') && !names.includes(original), JSON.stringify(names));
  await context.close();
});

test('in local mode the audit reads only this browser: a warning for an account number in a description, and no request', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(env.root.url)) foreign.push(r.url()); });
  await page.goto(env.root.url + 'groups/new');
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill('web-billing');
  await page.getByLabel('Description - optional').fill('Owned by account 210987654321 for billing');
  await page.getByLabel('Filter key 1').fill('Stage');
  await page.getByLabel('Filter values 1').fill('Prod');
  // An account number in a description is a warning the person may accept.
  await page.getByLabel('Save the description anyway').check();
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, 'web-billing');

  await go(page, 'Data protection', 'Data protection');
  // The audit follows changes by itself; ask again anyway, from scratch.
  await page.locator('#audit-status', { hasText: 'Audited' }).waitFor({ timeout: 30000 });
  await page.locator('#audit-run').click();
  const rows = await findings(page);
  assert.deepEqual(rows, [['Warning', 'AWS account ID', 'Group web-billing', 'description', `Owned by account ${'\u2022'.repeat(8)}4321 for billing`]]);
  await page.locator('#audit-outcome', { hasText: '1 finding(s): 0 blocked, 1 warning(s)' }).waitFor();
  // Fixed in place: the description offered without the number, edited, saved. (The row also
  // links to the group: its name is not what was found.)
  await page.getByRole('link', { name: 'Open group' }).waitFor();
  await page.getByRole('button', { name: 'Fix' }).click();
  await page.waitForFunction(() => document.querySelector('#fix-panel textarea')?.value === 'Owned by account for billing');
  await page.getByLabel('Description (what was found has been taken out)').fill('Owned by the billing team');
  await page.locator('#fix-save').click();
  await page.locator('.flash', { hasText: 'Fixed' }).first().waitFor();
  // The finding is gone with the fix; the group shows the new description.
  await page.getByRole('link', { name: 'Open group' }).waitFor({ state: 'detached' });
  await go(page, 'Groups', 'Groups');
  await page.locator('tbody th.cell-name').getByRole('link', { name: 'web-billing' }).click();
  await expectHeading(page, 'web-billing');
  assert.ok((await page.locator('main').textContent()).includes('Owned by the billing team'));
  await go(page, 'Data protection', 'Data protection');
  await page.locator('#audit-outcome', { hasText: 'No findings' }).waitFor({ timeout: 30000 });
  assert.equal(await page.locator('#audit-badge').count(), 0);
  assert.deepEqual(foreign, []);
  await context.close();
});

test('local mode: a group stored under older rules (quarantined) is copied to a new name, and the stored record goes', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(env.root.url)) foreign.push(r.url()); });
  await page.goto(env.root.url + 'groups');
  await expectHeading(page, 'Groups');
  // As an older version would have stored it: a name the guard now refuses, a flagged tag.
  await page.evaluate(async () => {
    const db = await new Promise((ok, err) => { const r = indexedDB.open('group-console'); r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
    await new Promise((ok, err) => {
      const tx = db.transaction(['groups'], 'readwrite');
      const query = JSON.stringify({ ResourceTypeFilters: ['AWS::AllSupported'], TagFilters: [{ Key: 'Stage', Values: ['Prod'] }] });
      tx.objectStore('groups').put({ name: 'ops-318420957164', description: 'Ops', query: { Type: 'TAG_FILTERS_1_0', Query: query }, tags: { Team: 'ops' }, createdAt: 1, updatedAt: 1 });
      tx.oncomplete = ok;
      tx.onerror = () => err(tx.error);
    });
    db.close();
  });
  await page.reload();
  await expectHeading(page, 'Groups');
  await go(page, 'Data protection', 'Data protection');
  const rows = await findings(page);
  assert.deepEqual(rows.map((r) => r.slice(0, 4)), [['Blocked', 'AWS account ID', `Quarantined Group ops-${'\u2022'.repeat(8)}7164`, 'name']]);
  await page.getByRole('button', { name: 'Copy to a new name' }).click();
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill('ops-prod');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, 'Data protection');
  await page.locator('#finish-copy-confirm').fill('delete');
  await page.locator('#finish-copy-delete').click();
  await page.locator('.flash', { hasText: 'replaces the original' }).waitFor({ timeout: 30000 });
  await page.locator('#audit-outcome', { hasText: 'No findings' }).waitFor({ timeout: 30000 });
  // The copy is a normal group with the same query, tags and description; the record is gone.
  await go(page, 'Groups', 'Groups');
  assert.deepEqual(await page.locator('tbody th.cell-name').allTextContents(), ['ops-prod']);
  const stored = await page.evaluate(async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open('group-console'); r.onsuccess = () => ok(r.result); });
    const all = await new Promise((ok) => { const r = db.transaction('groups').objectStore('groups').getAll(); r.onsuccess = () => ok(r.result); });
    db.close();
    return all;
  });
  assert.deepEqual(stored.map((g) => [g.name, g.description, g.tags, JSON.parse(g.query.Query).TagFilters]), [['ops-prod', 'Ops', { Team: 'ops' }, [{ Key: 'Stage', Values: ['Prod'] }]]]);
  assert.deepEqual(foreign, []);
  await context.close();
});

test('share safely: an export with account aliases and no descriptions, mapped back only in the browser that made it', async () => {
  const ACCOUNT = '318420957164';
  const stackQuery = JSON.stringify({ ResourceTypeFilters: ['AWS::AllSupported'], StackIdentifier: `arn:aws:cloudformation:eu-west-1:555566667777:stack/shop/1a2b` });
  const tagQuery = JSON.stringify({ ResourceTypeFilters: ['AWS::AllSupported'], TagFilters: [{ Key: 'Stage', Values: ['Prod'] }] });
  const seed = JSON.stringify({
    Groups: [
      { Group: { GroupArn: `arn:aws:resource-groups:us-east-1:${ACCOUNT}:group/web`, Name: 'web', Description: 'Front end of the shop' }, GroupQuery: { GroupName: 'web', ResourceQuery: { Type: 'TAG_FILTERS_1_0', Query: tagQuery } }, Tags: { Team: 'web' } },
      { Group: { GroupArn: `arn:aws:resource-groups:eu-west-1:${ACCOUNT}:group/shop`, Name: 'shop' }, GroupQuery: { GroupName: 'shop', ResourceQuery: { Type: 'CLOUDFORMATION_STACK_1_0', Query: stackQuery } }, Tags: {} },
    ],
  });
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(env.root.url)) foreign.push(r.url()); });
  await page.goto(env.root.url + 'settings');
  await expectHeading(page, 'Settings');
  await page.getByLabel('Or paste JSON').fill(seed);
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (2)' }).click();
  await page.locator('.flash', { hasText: 'Import complete' }).waitFor();

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#share-export').click()]);
  const shared = await readFile(await download.path(), 'utf8');
  for (const v of [ACCOUNT, '555566667777', 'Front end']) assert.ok(!shared.includes(v), `the shared file holds ${v}`);
  const doc = JSON.parse(shared);
  assert.equal(doc.SharedExport.Format, 'group-console-shared');
  const arns = doc.Groups.map((g) => g.Group.GroupArn).sort();
  assert.deepEqual(arns, ['arn:aws:resource-groups:eu-west-1:account-1:group/shop', 'arn:aws:resource-groups:us-east-1:account-1:group/web']);
  const stack = JSON.parse(doc.Groups.find((g) => g.Group.Name === 'shop').GroupQuery.ResourceQuery.Query).StackIdentifier;
  assert.equal(stack, 'arn:aws:cloudformation:eu-west-1:account-2:stack/shop/1a2b');
  await page.locator('.flash', { hasText: '2 account ID(s) replaced by aliases' }).waitFor();

  // Back in this browser: the aliases map back, so the file is the groups as they are.
  await page.getByLabel('Or paste JSON').fill(shared);
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.locator('#import-shared', { hasText: 'made in this browser' }).waitFor();
  await page.locator('.import-preview li', { hasText: '2 unchanged' }).waitFor();

  // In another browser the aliases stay (and nothing maps them).
  const other = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page2 = await other.newPage();
  await page2.goto(env.root.url + 'settings');
  await expectHeading(page2, 'Settings');
  await page2.getByLabel('Or paste JSON').fill(shared);
  await page2.getByRole('button', { name: 'Preview import' }).click();
  await page2.locator('#import-shared', { hasText: 'from another browser' }).waitFor();
  await other.close();
  assert.deepEqual(foreign, []);
  await context.close();
});

test('your own detectors: checked against their examples, applied by the guard everywhere, and found by the audit in data stored before', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Before the detector: a ticket number in a tag is just text.
  await page.goto(env.root.url + 'groups/new');
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill('orders-web');
  await page.getByLabel('Filter key 1').fill('Stage');
  await page.getByLabel('Filter values 1').fill('Prod');
  await page.locator('#tag-add').click();
  await page.getByLabel('Tag key 1').fill('Ticket');
  await page.getByLabel('Tag value 1').fill('CUST-123456');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, 'orders-web');

  await go(page, 'Settings', 'Settings');
  await page.locator('#detector-name').fill('Customer number');
  await page.locator('#detector-text').fill('CUST-######');
  await page.locator('#detector-yes').fill('CUST-12345');
  await page.locator('#detector-add').click();
  // Its own example fails: refused, next to the field, nothing saved.
  await page.locator('#detector-yes-error', { hasText: 'Example 1 that must match does not match' }).waitFor();
  await page.locator('#detector-yes').fill('CUST-123456\ncust 654321');
  await page.locator('#detector-no').fill('CUST-12345\nXCUST-123456');
  await page.locator('#detector-add').click();
  await page.locator('.flash', { hasText: 'Detector added' }).waitFor();
  await page.locator('#detectors-table tbody tr', { hasText: 'Customer number' }).waitFor();

  // The stored group now holds what the guard refuses: set aside, and found by the audit.
  await go(page, 'Data protection', 'Data protection');
  await page.locator('#findings-table').waitFor({ timeout: 30000 });
  const rows = await findings(page);
  assert.deepEqual(rows.map((r) => r.slice(0, 4)), [['Blocked', 'your own detector', 'Quarantined Group orders-web', 'tag value of \u201cTicket\u201d']]);
  assert.ok(!rows[0][4].includes('123456'), rows[0][4]);

  // Typed anywhere else, it is refused like an account number.
  await go(page, 'Groups', 'Groups');
  await page.getByRole('link', { name: 'Create group' }).first().click();
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill('cust-654321-web');
  await page.getByLabel('Name', { exact: true }).blur();
  await page.locator('.form-error', { hasText: 'Customer number' }).first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Create group' }).isDisabled(), true);

  // Fixed in place from the audit: the group is back.
  await go(page, 'Data protection', 'Data protection');
  await page.getByRole('button', { name: 'Fix' }).click();
  await page.getByLabel('New value of the tag \u201cTicket\u201d').fill('see the ticket system');
  await page.locator('#fix-save').click();
  await page.locator('#audit-outcome', { hasText: 'No findings' }).waitFor({ timeout: 30000 });
  await go(page, 'Groups', 'Groups');
  assert.deepEqual(await page.locator('tbody th.cell-name').allTextContents(), ['orders-web']);
  // The detector survives a reload (kept in this browser) and still applies.
  await page.reload();
  await go(page, 'Settings', 'Settings');
  await page.locator('#detectors-table tbody tr', { hasText: 'Customer number' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('what leaves this device: the first push and pushes with descriptions are shown and asked; nothing goes until agreed', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await configure(page);
  const host = new URL(env.backend.url).host;
  const create = async (name, description) => {
    await go(page, 'Groups', 'Groups');
    await page.getByRole('link', { name: 'Create group' }).first().click();
    await expectHeading(page, 'Create group');
    await page.getByLabel('Name', { exact: true }).fill(name);
    if (description) await page.getByLabel('Description - optional').fill(description);
    await page.getByLabel('Filter key 1').fill('Stage');
    await page.getByLabel('Filter values 1').fill('Prod');
    await page.getByRole('button', { name: 'Create group' }).click();
    await expectHeading(page, name);
  };
  await create('web', 'Front end');
  await create('api', '');
  await go(page, 'Settings', 'Settings');
  await page.locator('#consent-line', { hasText: `Before the first push to ${host}` }).waitFor();
  // Before any push: what would be sent, and where.
  await page.locator('#sync-preview').click();
  await page.locator('#outgoing-table').waitFor();
  const table = () => page.locator('#outgoing-table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
  assert.deepEqual(await table(), [['web', 'create', 'name, description, query'], ['api', 'create', 'name, query']]);
  await page.locator('#outgoing-why', { hasText: host }).waitFor();

  const runs = async () => Number(await page.locator('#sync-status').getAttribute('data-runs'));
  const waitRun = (after) => page.waitForFunction((n) => {
    const el = document.getElementById('sync-status');
    return Number(el?.dataset.runs) > n && el.textContent.startsWith('Idle.');
  }, after, { timeout: 60000 });
  // The first push is held: nothing is sent until the person agrees.
  let n = await runs();
  await page.locator('#sync-now').click();
  await waitRun(n);
  await page.locator('#outgoing-why', { hasText: `first time data from this browser would go to ${host}` }).waitFor();
  assert.deepEqual(await env.backend.rg('list'), []);
  n = await runs();
  await page.locator('#outgoing-send').click();
  await waitRun(n);
  assert.deepEqual(await env.backend.rg('list'), ['api', 'web']);
  assert.equal((await env.backend.rg('get', 'web')).Description, 'Front end');
  await page.locator('#consent-line', { hasText: 'include descriptions are shown to you first' }).waitFor();

  // A changed description is asked again; "Not now" sends nothing.
  await go(page, 'Groups', 'Groups');
  await page.locator('tbody th.cell-name').getByRole('link', { name: 'web', exact: true }).click();
  await expectHeading(page, 'web');
  await page.getByRole('button', { name: 'Edit description' }).click();
  await page.locator('#edit-description').fill('Front end of the shop');
  await page.getByRole('button', { name: 'Save description' }).click();
  await page.locator('.flash', { hasText: 'Description saved' }).first().waitFor();
  await go(page, 'Settings', 'Settings');
  n = await runs();
  await page.locator('#sync-now').click();
  await waitRun(n);
  await page.locator('#outgoing-why', { hasText: 'includes descriptions' }).waitFor();
  await page.locator('#outgoing-table').waitFor();
  assert.deepEqual(await table(), [['web', 'change', 'name, description']]);
  await page.locator('#outgoing-later').click();
  assert.equal((await env.backend.rg('get', 'web')).Description, 'Front end');
  // Then sent, and not asked again for this host.
  n = await runs();
  await page.locator('#sync-now').click();
  await waitRun(n);
  n = await runs();
  await page.locator('#outgoing-send-quiet').click();
  await waitRun(n);
  assert.equal((await env.backend.rg('get', 'web')).Description, 'Front end of the shop');
  await page.locator('#consent-line', { hasText: 'go without asking' }).waitFor();

  // The activity log says what went where, without values.
  await go(page, 'Activity', 'Activity');
  const sent = await page.locator('tbody tr', { hasText: 'SendGroups' }).evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
  assert.equal(sent.length, 2, JSON.stringify(sent));
  assert.ok(sent.every((r) => r.join(' ').includes(`\u2192 ${host}`)), JSON.stringify(sent));
  assert.ok(!JSON.stringify(sent).includes('Front end'));
  await context.close();
});

for (const scheme of ['light', 'dark']) {
  test(`the Data protection page has no serious or critical axe violations (${scheme} theme)`, async () => {
    await env.backend.rg('seed-sensitive');
    const context = await env.browser.newContext({ colorScheme: scheme, bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await configure(page);
    await syncNow(page);
    await go(page, 'Data protection', 'Data protection');
    assert.equal((await findings(page)).length, 3);
    assert.deepEqual(await axeProblems(page), []);
    // With the fix panel open too.
    await page.locator('#findings-table tbody tr', { has: page.locator('th', { hasText: 'payments' }) }).getByRole('button', { name: 'Fix' }).click();
    await page.locator('#fix-panel').waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await context.close();
  });
}
