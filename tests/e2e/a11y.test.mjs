// Accessibility: axe-core finds no serious or critical violation on any page, in the light and
// the dark theme. Screenshots of every page land in test-results/screenshots/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, axeProblems, expectHeading, useApp } from './helpers.mjs';

const env = useApp();

const q = JSON.stringify({ ResourceTypeFilters: ['AWS::AllSupported'], TagFilters: [{ Key: 'Stage', Values: ['Prod'] }] });
const seed = JSON.stringify({
  Groups: [
    { Group: { GroupArn: '', Name: 'web-prod', Description: 'Front end' }, GroupQuery: { GroupName: 'web-prod', ResourceQuery: { Type: 'TAG_FILTERS_1_0', Query: q } }, Tags: { Team: 'web' } },
  ],
});

const PAGES = [
  ['groups', 'Groups'],
  ['groups/new', 'Create group'],
  ['groups/web-prod', 'web-prod'],
  ['resources', 'Resources'],
  ['activity', 'Activity'],
  ['settings', 'Settings'],
  ['no/such/page', 'Page not found'],
];

for (const scheme of ['light', 'dark']) {
  test(`no serious or critical axe violations (${scheme} theme)`, async () => {
    // axe is injected as a script, which the page's CSP would (rightly) refuse.
    const context = await env.browser.newContext({ colorScheme: scheme, bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(env.root.url + 'settings');
    await expectHeading(page, 'Settings');
    await page.getByLabel('Or paste JSON').fill(seed);
    await page.getByRole('button', { name: 'Preview import' }).click();
    await page.getByRole('button', { name: 'Import all (1)' }).click();
    await page.locator('.flash', { hasText: 'Import complete' }).waitFor();
    await page.getByLabel('Or paste JSON').fill('');
    await page.goto(env.root.url + 'resources');
    await page.getByLabel('Or paste JSON or CSV').fill('ARN,Stage\narn:aws:s3:::a,Prod\n');
    await page.getByRole('button', { name: 'Preview import' }).click();
    await page.getByRole('button', { name: 'Import all (1)' }).click();
    await page.locator('.flash', { hasText: 'Resources imported' }).waitFor();

    const problems = [];
    for (const [path, heading] of PAGES) {
      await page.goto(env.root.url + path);
      await expectHeading(page, heading);
      await page.waitForTimeout(100);
      if (path === 'groups/new') {
        // Show the form in its error state too.
        await page.getByRole('button', { name: 'Create group' }).click();
      }
      for (const line of await axeProblems(page)) problems.push(`/${path}: ${line}`);
      await page.screenshot({ path: `${SHOTS}/${scheme}-${path.replaceAll('/', '_')}.png`, fullPage: true });
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}
