// The app shell against the release build: booting from the site root and from a sub-path,
// deep links reloaded through the host's index.html fallback, the Content-Security-Policy,
// keyboard navigation, the dark theme, and the message shown when the app cannot start.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cspViolations, DIST, DIST_SUBPATH, expectHeading, focusedText, launch, newPage, serve, SHOTS } from './helpers.mjs';

let browser;
let root;
let sub;

before(async () => {
  browser = await launch();
  root = await serve(DIST, '/');
  // The sub-path build is also served with the CSP as an HTTP header, the form operators use.
  sub = await serve(DIST_SUBPATH, '/console/', { cspHeader: true });
});

after(async () => {
  await browser?.close();
  await root?.close();
  await sub?.close();
});

describe('from the site root', () => {
  test('boots, redirects to Groups, and the CSP holds with no violation', async () => {
    const { page, record, context } = await newPage(browser);
    const wasmResponses = [];
    // The main module (pages' chunks follow on idle).
    page.on('response', (r) => r.url().endsWith('_bg.wasm') && wasmResponses.push(r));
    await page.goto(root.url);
    await expectHeading(page, 'Groups');
    assert.equal(new URL(page.url()).pathname, '/groups');
    assert.equal(await page.title(), 'Groups · Group Console');
    assert.equal(await page.locator('#boot').count(), 0, 'the loading placeholder is removed');

    // The main wasm module is fetched once, as application/wasm.
    assert.equal(wasmResponses.length, 1, `wasm fetched ${wasmResponses.length} times`);
    assert.equal(wasmResponses[0].headers()['content-type'], 'application/wasm');

    assert.deepEqual(await cspViolations(page, record), []);
    assert.deepEqual(record.pageErrors, []);
    assert.deepEqual(record.consoleErrors, []);
    await page.screenshot({ path: `${SHOTS}/groups-light.png`, fullPage: true });
    await context.close();
  });

  test('the CSP is really enforced: an injected inline script is blocked', async () => {
    const { page, record, context } = await newPage(browser);
    await page.goto(root.url + 'groups');
    await expectHeading(page, 'Groups');
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      return window.__inlineRan === true;
    });
    assert.equal(ran, false, 'inline script must not run');
    await page.waitForFunction(() => window.__cspViolations.length > 0);
    const violations = await cspViolations(page, record);
    assert.ok(violations.some((v) => v.startsWith('script-src')), violations.join('\n'));
    await context.close();
  });

  test('a deep link reloads into the same page', async () => {
    const { page, record, context } = await newPage(browser);
    await page.goto(root.url + 'settings');
    await expectHeading(page, 'Settings');
    await page.reload();
    await expectHeading(page, 'Settings');
    assert.equal(new URL(page.url()).pathname, '/settings');
    assert.deepEqual(await cspViolations(page, record), []);
    await context.close();
  });

  test('an unknown address shows "Page not found" with a way back', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(root.url + 'no/such/page');
    await expectHeading(page, 'Page not found');
    assert.equal(await page.locator('code.path').textContent(), '/no/such/page');
    await page.getByRole('link', { name: 'Go to Groups' }).click();
    await expectHeading(page, 'Groups');
    await context.close();
  });

  test('keyboard only: skip link, side navigation, focus moves to the new page', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(root.url + 'groups');
    await expectHeading(page, 'Groups');

    await page.keyboard.press('Tab');
    assert.equal(await focusedText(page), 'Skip to main content');
    // The focused skip link is visible (it slides in when focused).
    const box = await page.locator('.skip-link').boundingBox();
    assert.ok(box && box.y >= 0, 'skip link visible when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'page-title');

    // From the top of a fresh page: skip link, navigation toggle, product name, mode badge,
    // then the side navigation.
    await page.goto(root.url + 'groups');
    await expectHeading(page, 'Groups');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Close navigation');
    await page.keyboard.press('Tab');
    assert.equal(await focusedText(page), 'Group Console');
    // The mode badge (local or sync state) links to Settings.
    await page.keyboard.press('Tab');
    assert.equal(await focusedText(page), 'Local');
    const order = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      order.push(await focusedText(page));
    }
    assert.deepEqual(order, ['Groups', 'Resources', 'Activity', 'Data protection', 'Recently deleted', 'Settings']);

    // The focus ring is visible on the focused link.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, 'solid');

    // Enter follows the link; focus lands on the new page's heading.
    await page.keyboard.press('Shift+Tab'); // Recently deleted
    await page.keyboard.press('Shift+Tab'); // Data protection
    await page.keyboard.press('Shift+Tab'); // Activity
    await page.keyboard.press('Enter');
    await expectHeading(page, 'Activity');
    assert.equal(new URL(page.url()).pathname, '/activity');
    await page.waitForFunction(() => document.activeElement?.id === 'page-title');

    // The navigation toggle works from the keyboard and says what it does.
    await page.focus('.nav-toggle');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('side-nav').hidden);
    assert.equal(await page.getAttribute('.nav-toggle', 'aria-expanded'), 'false');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => !document.getElementById('side-nav').hidden);
    await context.close();
  });

  test('follows the dark colour scheme of the system', async () => {
    const light = await newPage(browser, { colorScheme: 'light' });
    await light.page.goto(root.url + 'groups');
    await expectHeading(light.page, 'Groups');
    const lightBg = await light.page.evaluate(() => getComputedStyle(document.body).backgroundColor);

    const dark = await newPage(browser, { colorScheme: 'dark' });
    await dark.page.goto(root.url + 'groups');
    await expectHeading(dark.page, 'Groups');
    const darkBg = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const darkText = await dark.page.evaluate(() => getComputedStyle(document.body).color);
    await dark.page.screenshot({ path: `${SHOTS}/groups-dark.png`, fullPage: true });

    assert.equal(lightBg, 'rgb(244, 244, 244)');
    assert.equal(darkBg, 'rgb(15, 20, 26)');
    assert.equal(darkText, 'rgb(222, 222, 227)');
    await light.context.close();
    await dark.context.close();
  });

  test('says so in plain words when the app cannot start', async () => {
    const { page, context } = await newPage(browser);
    await page.route('**/*.wasm', (route) => route.abort());
    await page.goto(root.url + 'groups');
    const alert = page.locator('#boot[role=alert]');
    await alert.waitFor({ timeout: 15000 });
    assert.match(await alert.textContent(), /could not start/);
    await context.close();
  });
});

describe('from a sub-path (/console/)', () => {
  test('boots, links stay under the sub-path, and the CSP header and meta both hold', async () => {
    const { page, record, context } = await newPage(browser);
    const response = await page.goto(sub.url);
    assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
    await expectHeading(page, 'Groups');
    assert.equal(new URL(page.url()).pathname, '/console/groups');

    const hrefs = await page.locator('#side-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, ['/console/groups', '/console/resources', '/console/activity', '/console/data-protection', '/console/recently-deleted', '/console/settings']);

    await page.getByRole('link', { name: 'Resources' }).click();
    await expectHeading(page, 'Resources');
    assert.equal(new URL(page.url()).pathname, '/console/resources');
    const crumbs = await page.locator('.breadcrumbs li').allTextContents();
    assert.deepEqual(crumbs.map((c) => c.trim()), ['Group Console', 'Resources']);
    assert.equal(
      await page.locator('#side-nav a[aria-current=page]').textContent(),
      'Resources',
    );

    // Back and forward work.
    await page.goBack();
    await expectHeading(page, 'Groups');
    await page.goForward();
    await expectHeading(page, 'Resources');

    // Every request stayed under the sub-path.
    for (const url of record.requests) assert.ok(new URL(url).pathname.startsWith('/console/'), url);
    assert.deepEqual(await cspViolations(page, record), []);
    assert.deepEqual(record.pageErrors, []);
    await context.close();
  });

  test('creating a group under the sub-path lands on its page, which reloads as a deep link', async () => {
    const { page, record, context } = await newPage(browser);
    await page.goto(sub.url + 'groups/new');
    await expectHeading(page, 'Create group');
    await page.getByLabel('Name', { exact: true }).fill('under-console');
    await page.getByLabel('Filter key 1').fill('Stage');
    await page.getByRole('button', { name: 'Create group' }).click();
    await expectHeading(page, 'under-console');
    assert.equal(new URL(page.url()).pathname, '/console/groups/under-console');
    await page.reload();
    await expectHeading(page, 'under-console');
    const crumbs = await page.locator('.breadcrumbs a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(crumbs, ['/console/groups', '/console/groups']);
    // Deleting it lands on the groups list, still under the sub-path.
    await page.getByRole('button', { name: 'Delete', exact: true }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/type “confirm”/).fill('confirm');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expectHeading(page, 'Groups');
    assert.equal(new URL(page.url()).pathname, '/console/groups');
    assert.deepEqual(await cspViolations(page, record), []);
    await context.close();
  });

  test('a deep link under the sub-path reloads into the same page', async () => {
    const { page, record, context } = await newPage(browser);
    await page.goto(sub.url + 'activity');
    await expectHeading(page, 'Activity');
    await page.reload();
    await expectHeading(page, 'Activity');
    assert.equal(new URL(page.url()).pathname, '/console/activity');
    await page.goto(sub.url + 'deep/unknown/path');
    await expectHeading(page, 'Page not found');
    await page.getByRole('link', { name: 'Go to Groups' }).click();
    await expectHeading(page, 'Groups');
    assert.equal(new URL(page.url()).pathname, '/console/groups');
    assert.deepEqual(await cspViolations(page, record), []);
    await context.close();
  });
});
