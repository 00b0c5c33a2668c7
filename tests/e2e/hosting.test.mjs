// Hosting: the page refuses to run inside a frame when the host sends no frame-ancestors, the
// browser blocks the frame when it does, every response carries the security headers README
// "Hosting on a CDN" recommends, and the app opened directly boots with or without them.

import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cspViolations, DIST, expectHeading, launch, newPage, serve, SHOTS } from './helpers.mjs';

let browser;
let plain; // no security headers other than nosniff: what a host that cannot set headers does
let headed; // the recommended set (scripts/static-server.mjs --csp-header)
let other; // another origin (same address, another port) with pages that frame the app

/** The set README "Hosting on a CDN" recommends; the CSP is checked against the page's meta. */
const DOCUMENT_HEADERS = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};
const FILE_HEADERS = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
};
const DENIED_FEATURES = ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'serial', 'hid', 'midi'];

/** A server on another port of 127.0.0.1 (so another origin) whose page embeds `target`. */
async function startOtherSite() {
  const server = createServer((req, res) => {
    const target = req.url === '/headed' ? headed.url : plain.url;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(
      '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Another site</title>' +
        '</head><body><h1>Another site</h1>' +
        `<iframe src="${target}" title="Embedded" width="800" height="400"></iframe></body></html>`,
    );
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

before(async () => {
  browser = await launch();
  plain = await serve(DIST, '/');
  headed = await serve(DIST, '/', { cspHeader: true });
  other = await startOtherSite();
});

after(async () => {
  await browser?.close();
  await plain?.close();
  await headed?.close();
  await other?.close();
});

describe('framed by a page on another origin', () => {
  test('without frame-ancestors: says it cannot run framed, never starts the app, links out', async () => {
    const { page, record, context } = await newPage(browser);
    await page.goto(other.url + 'plain');
    const frame = page.frameLocator('iframe');
    const alert = frame.locator('#boot[role=alert]');
    await alert.waitFor({ timeout: 15000 });
    assert.equal(
      (await alert.textContent()).trim(),
      `Group Console cannot run inside a frame on another page. Open it directly: ${plain.url}`,
    );
    const link = alert.locator('a');
    assert.equal(await link.getAttribute('href'), plain.url);
    assert.equal(await link.getAttribute('target'), '_top');
    assert.equal(await link.getAttribute('rel'), 'noopener');
    await page.screenshot({ path: `${SHOTS}/framed-refused.png` });

    // The app never started: no shell, no redirect to /groups. (The wasm may be downloaded by
    // the page's preload, which serves normal visits; nothing compiles or runs it.)
    await page.waitForLoadState('networkidle');
    assert.equal(await frame.locator('header.top-bar').count(), 0);
    assert.equal(await frame.locator('h1#page-title').count(), 0);
    const inner = page.frames().find((f) => f !== page.mainFrame());
    assert.equal(new URL(inner.url()).pathname, '/');
    assert.deepEqual(await cspViolations(page, record), []);
    assert.deepEqual(record.pageErrors, []);
    assert.deepEqual(record.consoleErrors, []);

    // The link opens the app in the whole tab, where it boots.
    await link.click();
    await page.waitForURL((u) => u.origin === new URL(plain.url).origin, { timeout: 15000 });
    await expectHeading(page, 'Groups');
    await context.close();
  });

  test('with the recommended headers, the browser does not even load the framed page', async () => {
    const { page, record, context } = await newPage(browser);
    await page.goto(other.url + 'headed');
    await page.waitForLoadState('networkidle');
    const inner = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(inner, 'the iframe exists');
    assert.equal(await inner.locator('#boot').count(), 0, 'the app page was not rendered in the frame');
    const scripts = record.requests.filter((u) => /\.(js|wasm)$/.test(new URL(u).pathname));
    assert.deepEqual(scripts, [], 'no script or wasm of the app was fetched');
    await context.close();
  });
});

describe('headers (static-server --csp-header, like a CDN set up as the README says)', () => {
  test('index.html carries the whole set, and the app boots under it without a violation', async () => {
    const { page, record, context } = await newPage(browser);
    // Chromium warns (not errors) about a Permissions-Policy it cannot parse or a feature it
    // does not know; either means the header is not what we meant.
    const policyWarnings = [];
    page.on('console', (m) => /Permissions-Policy/i.test(m.text()) && policyWarnings.push(m.text()));
    const response = await page.goto(headed.url);
    const headers = response.headers();
    for (const [name, value] of Object.entries(DOCUMENT_HEADERS)) assert.equal(headers[name], value, name);
    const meta = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.equal(headers['content-security-policy'], `${meta}; frame-ancestors 'none'`);
    for (const feature of DENIED_FEATURES) {
      assert.match(headers['permissions-policy'], new RegExp(`(^|, )${feature}=\\(\\)(,|$)`), feature);
    }

    await expectHeading(page, 'Groups');
    assert.equal(await page.locator('#boot').count(), 0);
    // The browser applied the policy: none of the denied features is allowed in the page.
    const allowed = await page.evaluate(() => document.featurePolicy.allowedFeatures());
    assert.deepEqual(DENIED_FEATURES.filter((f) => allowed.includes(f)), []);
    assert.deepEqual(policyWarnings, []);
    assert.deepEqual(await cspViolations(page, record), []);
    assert.deepEqual(record.pageErrors, []);
    assert.deepEqual(record.consoleErrors, []);
    await context.close();
  });

  test('404.html, deep links and the hashed files carry their part of the set', async () => {
    const page = await fetch(headed.url).then((r) => r.text());
    const files = [...page.matchAll(/\b(?:src|href)="([^"]+\.(?:js|css|svg))"/g)].map((m) => m[1]);
    assert.ok(files.some((f) => /^boot-[0-9a-f]{16}\.js$/.test(f)), `boot script among ${files}`);
    const bootScript = await fetch(new URL(files.find((f) => f.startsWith('boot-')), headed.url));
    const wasmName = (await bootScript.text()).match(/'\.\/([^']+\.wasm)'/)[1];

    for (const path of ['404.html', 'settings', 'groups/some-group']) {
      const r = await fetch(new URL(path, headed.url));
      assert.equal(r.status, 200, path);
      for (const [name, value] of Object.entries(DOCUMENT_HEADERS)) {
        assert.equal(r.headers.get(name), value, `${path}: ${name}`);
      }
      assert.match(r.headers.get('content-security-policy'), /; frame-ancestors 'none'$/, path);
      assert.match(r.headers.get('permissions-policy'), /camera=\(\)/, path);
    }
    for (const path of [...files, wasmName]) {
      const r = await fetch(new URL(path, headed.url));
      assert.equal(r.status, 200, path);
      for (const [name, value] of Object.entries(FILE_HEADERS)) {
        assert.equal(r.headers.get(name), value, `${path}: ${name}`);
      }
      // Content-hashed names are cached for ever; the rest (favicon.svg) is re-checked, or a
      // new release of it would go unseen.
      const hashed = /[-_][0-9a-f]{12,}[._]/.test(path.split('/').pop());
      assert.equal(r.headers.get('cache-control'), hashed ? 'public, max-age=31536000, immutable' : 'no-cache', path);
    }
  });
});

describe('opened directly', () => {
  test('without the headers, the app still boots (the frame check does not misfire)', async () => {
    const { page, record, context } = await newPage(browser);
    const wasmResponses = [];
    // The main module (pages' chunks follow on idle).
    page.on('response', (r) => new URL(r.url()).pathname.endsWith('_bg.wasm') && wasmResponses.push(r));
    await page.goto(plain.url);
    await expectHeading(page, 'Groups');
    assert.equal(new URL(page.url()).pathname, '/groups');
    assert.equal(await page.locator('#boot').count(), 0);
    assert.equal(wasmResponses.length, 1, `wasm fetched ${wasmResponses.length} times`);
    assert.equal(wasmResponses[0].headers()['content-type'], 'application/wasm');
    assert.deepEqual(await cspViolations(page, record), []);
    assert.deepEqual(record.pageErrors, []);
    assert.deepEqual(record.consoleErrors, []);
    await context.close();
  });
});
