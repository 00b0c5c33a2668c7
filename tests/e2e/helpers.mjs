// Shared helpers for the end-to-end tests: Debian's Chromium driven by playwright-core, and the
// release build served as static files by scripts/static-server.mjs (like a CDN would).

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/static-server.mjs';

export const DIST = process.env.E2E_DIST || 'dist';
export const DIST_SUBPATH = process.env.E2E_DIST_SUBPATH || 'target/e2e-dist-console';
export const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** `extraArgs`: e.g. the sync tests' --ignore-certificate-errors-spki-list. */
export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/**
 * A browser context with a profile on disk, as a person's browser has (Chromium's install
 * criteria refuse incognito profiles, which `launch()` contexts are). Close it when done.
 */
export async function launchPersistent(dir) {
  return chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** Serves `dir` under `mount`; returns { url, close }. */
export async function serve(dir, mount = '/', options = {}) {
  const { server, url } = await startServer({ dir, mount, ...options });
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

/**
 * A new page that records what would make a run suspicious: CSP violations (from the page's
 * own securitypolicyviolation events and from the console), console errors, uncaught errors,
 * and every request it makes.
 */
export async function newPage(browser, { colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const record = { csp: [], consoleErrors: [], pageErrors: [], requests: [] };
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) record.csp.push(msg.text());
    if (msg.type() === 'error') record.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => record.pageErrors.push(String(err)));
  page.on('request', (req) => record.requests.push(req.url()));
  return { context, page, record };
}

/** CSP violations seen by the page itself plus those Chromium logged. */
export async function cspViolations(page, record) {
  const inPage = await page.evaluate(() => window.__cspViolations || []);
  return [...inPage, ...record.csp];
}

/** Waits until the page heading (h1#page-title) reads `title`. */
export async function expectHeading(page, title) {
  await page.waitForFunction(
    (t) => document.querySelector('h1#page-title')?.textContent.trim() === t,
    title,
    { timeout: 15000 },
  );
}

/** Every record of one of the app's IndexedDB object stores, as stored, in key order. */
export async function idbRecords(page, store) {
  return page.evaluate((name) => new Promise((ok, fail) => {
    const open = indexedDB.open('group-console');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const r = open.result.transaction(name).objectStore(name).getAll();
      r.onsuccess = () => { ok(r.result); open.result.close(); };
      r.onerror = () => fail(r.error);
    };
  }), store);
}

/** The text of the element that has keyboard focus. */
export async function focusedText(page) {
  return page.evaluate(() => (document.activeElement?.textContent || '').trim());
}

/**
 * The usual set-up of a test file: one browser and the release build served from the site root
 * for all its tests, closed afterwards. Use as `const env = useApp();` then `env.browser`,
 * `env.root.url`.
 */
export function useApp() {
  const env = { browser: null, root: null };
  before(async () => {
    env.browser = await launch();
    env.root = await serve(DIST, '/');
  });
  after(async () => {
    await env.browser?.close();
    await env.root?.close();
  });
  return env;
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * axe-core's serious and critical violations on the current page, one line each. The page's
 * context must bypass the CSP: axe is injected as a script, which the CSP (rightly) refuses.
 */
export async function axeProblems(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

/** Settings → Import groups: pastes `entries` (ListGroups-style objects), imports them all. */
export async function importGroups(page, baseUrl, entries) {
  await page.goto(baseUrl + 'settings');
  await expectHeading(page, 'Settings');
  await page.getByLabel('Or paste JSON').fill(JSON.stringify({ Groups: entries }));
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: `Import all (${entries.length})` }).click();
  await page.locator('.flash', { hasText: 'Import complete' }).waitFor();
}
