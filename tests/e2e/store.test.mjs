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
