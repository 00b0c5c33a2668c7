// Creating a group with the keyboard only, and every guard case of the create form: an account
// number in the name, a card number in a tag value, and a description that needs "save anyway".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, expectHeading, useApp } from './helpers.mjs';

const env = useApp();

/** Presses Tab until the focused element matches `selector` (at most 40 times). */
async function tabTo(page, selector) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`could not reach ${selector} with Tab`);
}

test('a group can be created with the keyboard only', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.root.url + 'groups');
  await expectHeading(page, 'Groups');
  await tabTo(page, 'a.button-primary'); // "Create group"
  await page.keyboard.press('Enter');
  await expectHeading(page, 'Create group');
  await tabTo(page, '#group-name');
  await page.keyboard.type('keyboard-made');
  await tabTo(page, '[id^=filter-key-]');
  await page.keyboard.type('Stage');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Prod');
  await tabTo(page, 'button[type=submit]');
  await page.keyboard.press('Enter');
  await expectHeading(page, 'keyboard-made');
  await context.close();
});

test('guard cases are blocked in the form with the message next to the field', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.root.url + 'groups/new');
  await expectHeading(page, 'Create group');
  const create = page.getByRole('button', { name: 'Create group' });
  await page.getByLabel('Name', { exact: true }).fill('billing');
  await page.getByLabel('Filter key 1').fill('Stage');

  // A card number in a tag value.
  await page.getByRole('button', { name: 'Add tag', exact: true }).click();
  await page.getByLabel('Tag key 1').fill('PaymentRef');
  await page.getByLabel('Tag value 1').fill('4111 1111 1111 1111');
  await page.getByLabel('Tag value 1').blur();
  await page.locator('.kv-row .form-error', { hasText: 'payment card' }).waitFor();
  assert.equal(await page.locator('.kv-row .field-mirror mark').textContent(), '4111 1111 1111 1111');
  assert.equal(await create.isDisabled(), true);
  await page.getByLabel('Tag value 1').fill('ref-7');
  await page.waitForFunction(() => !document.querySelector('button[type=submit]').disabled);

  // A description with an account number: a warning that needs "save anyway".
  await page.getByLabel('Description - optional').fill('Billing for account 123456789012');
  await page.locator('.form-warning', { hasText: 'AWS account ID' }).waitFor();
  assert.equal(await create.isDisabled(), false, 'a description warning does not disable Create');
  await create.click();
  await page.waitForFunction(() => document.activeElement?.id === 'save-anyway');
  await expectHeading(page, 'Create group');
  await page.screenshot({ path: `${SHOTS}/create-group-warning.png`, fullPage: true });
  await page.getByLabel('Save the description anyway').check();
  await create.click();
  await expectHeading(page, 'billing');
  await context.close();
});

test('tag filter values are chips: Enter or a comma adds one, Backspace or × removes one', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.root.url + 'groups/new');
  await expectHeading(page, 'Create group');
  const values = page.getByLabel('Filter values 1');
  await values.click();
  await page.keyboard.type('Prod');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Test,Dev,');
  const chips = page.locator('.chips-input .chip');
  assert.deepEqual((await chips.allTextContents()).map((c) => c.replace('×', '').trim()), ['Prod', 'Test', 'Dev']);
  assert.equal(await page.getByRole('heading', { name: 'Create group', level: 1 }).count(), 1, 'Enter did not submit');
  await page.keyboard.press('Backspace');
  assert.equal(await chips.count(), 2);
  await page.getByRole('button', { name: 'Remove value Prod' }).click();
  assert.deepEqual((await chips.allTextContents()).map((c) => c.replace('×', '').trim()), ['Test']);
  await context.close();
});
