// The data-protection audit. With sync: moto (tests/e2e/backend.mjs) holds groups that boto3
// created with an account ID in a name, a card number in a tag and a GitHub token in a
// description; the pull refuses all three (nothing of them is stored) and the audit shows
// exactly those three findings, masked, with the top-bar count, and an exported report that
// holds neither the digits nor the token. In local mode the audit sends no request at all.

import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DIST, axeProblems, expectHeading, launch, serve } from './helpers.mjs';
import { startBackend } from './backend.mjs';

const env = { browser: null, root: null, backend: null };
before(async () => {
  env.backend = await startBackend();
  env.browser = await launch([`--ignore-certificate-errors-spki-list=${env.backend.spki}`]);
  env.root = await serve(DIST, '/');
});
after(async () => {
  await env.browser?.close();
  await env.root?.close();
  await env.backend?.close();
});
beforeEach(async () => {
  await env.backend.rg('reset');
});

/** Through the side navigation: a reload would forget the credentials (memory only). */
async function go(page, link, heading) {
  const nav = page.locator('#side-nav');
  const toggle = page.getByRole('button', { name: /navigation/i }).first();
  await toggle.waitFor();
  if (!(await nav.isVisible())) await toggle.click();
  await nav.getByRole('link', { name: link, exact: true }).click();
  await expectHeading(page, heading);
}

async function configure(page) {
  await page.goto(env.root.url + 'groups');
  await go(page, 'Settings', 'Settings');
  await page.locator('#backend-kind-custom').check();
  await page.locator('#backend-url').fill(env.backend.url);
  await page.locator('#backend-save').click();
  await page.locator('#backend-current', { hasText: 'Sync is on with' }).waitFor();
  await page.locator('#cred-key-id').fill('AKIAIOSFODNN7EXAMPLE');
  await page.locator('#cred-secret').fill('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  await page.locator('#cred-sign-in').click();
  await page.locator('#cred-status').waitFor();
}

async function syncNow(page) {
  await page.locator('#sync-now:not([disabled])').click();
  await page.waitForFunction(() => (document.getElementById('sync-status')?.textContent || '').startsWith('Idle.'), null, { timeout: 60000 });
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
  // The fix link opens the group (its name is not what was found).
  await page.getByRole('link', { name: 'Open group' }).click();
  await expectHeading(page, 'web-billing');

  // Fixed (the description edited): a second audit shows none.
  await page.getByRole('button', { name: 'Edit description' }).click();
  await page.locator('#edit-description').fill('Owned by the billing team');
  await page.getByRole('button', { name: 'Save description' }).click();
  await page.locator('.flash', { hasText: 'Description saved' }).first().waitFor();
  await go(page, 'Data protection', 'Data protection');
  await page.locator('#audit-outcome', { hasText: 'No findings' }).waitFor({ timeout: 30000 });
  assert.equal(await page.locator('#audit-badge').count(), 0);
  assert.deepEqual(foreign, []);
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
    await context.close();
  });
}
