// UI benchmark (figures, not a test): with 10,000 groups and 100,000 inventory resources stored,
// the time from navigation to an interactive groups table, and from a keystroke in the filter
// to the updated table, in headless Chromium against the release build in dist/.
//
// Usage: node scripts/bench-ui.mjs   (after scripts/build.sh)

import { chromium } from 'playwright-core';
import { startServer } from './static-server.mjs';

const GROUPS = 10_000;
const RESOURCES = 100_000;
const { server, url } = await startServer({ dir: 'dist', mount: '/' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();

// Let the app create its database, then fill it directly.
await page.goto(url + 'groups');
await page.waitForSelector('h1#page-title');
await page.waitForTimeout(500);
const seeded = await page.evaluate(async ({ GROUPS, RESOURCES }) => {
  const db = await new Promise((ok, err) => {
    const r = indexedDB.open('group-console');
    r.onsuccess = () => ok(r.result);
    r.onerror = () => err(r.error);
  });
  const t0 = performance.now();
  await new Promise((ok, err) => {
    const tx = db.transaction(['groups', 'resources'], 'readwrite', { durability: 'relaxed' });
    const groups = tx.objectStore('groups');
    const resources = tx.objectStore('resources');
    const stages = ['Dev', 'Test', 'Prod', 'Staging'];
    const teams = ['web', 'data', 'mobile', 'platform', 'security'];
    for (let i = 0; i < GROUPS; i++) {
      const query = JSON.stringify({ ResourceTypeFilters: ['AWS::AllSupported'], TagFilters: [{ Key: 'Team', Values: [teams[i % 5]] }, { Key: 'Stage', Values: [stages[i % 4]] }] });
      groups.put({ name: `group-${String(i).padStart(5, '0')}`, description: '', query: { Type: 'TAG_FILTERS_1_0', Query: query }, tags: { Owner: `o${i % 50}` }, createdAt: 1, updatedAt: 1 + i });
    }
    for (let i = 0; i < RESOURCES; i++) {
      resources.put({ arn: `arn:aws:ec2:us-east-1:000000000000:instance/i-${i.toString(16).padStart(17, '0')}`, type: 'AWS::EC2::Instance', tags: [['Team', teams[i % 5]], ['Stage', stages[(i >> 3) % 4]], ['Name', `r${i}`]] });
    }
    tx.oncomplete = ok;
    tx.onabort = () => err(tx.error);
  });
  db.close();
  return performance.now() - t0;
}, { GROUPS, RESOURCES });
console.log(`seeded ${GROUPS} groups and ${RESOURCES} resources in ${seeded.toFixed(0)} ms`);

// Navigation → interactive table (rows rendered, filter usable).
const t0 = Date.now();
await page.goto(url + 'groups');
await page.waitForSelector('table tbody tr');
const interactive = Date.now() - t0;
await page.waitForFunction(() => [...document.querySelectorAll('table tbody td.cell-number')].every((td) => td.textContent !== '…'), null, { timeout: 60000 });
const counted = Date.now() - t0;

// Keystroke → updated table, measured in the page: input event to the table's DOM change.
const keystrokes = await page.evaluate(async () => {
  const input = document.getElementById('groups-filter');
  const times = [];
  for (const text of ['g', 'gr', 'gro', 'grou', 'group', 'group-', 'group-0', 'group-00', 'group-001', 'group-0012', 'group-00', 'o7', 'web']) {
    const table = document.getElementById('groups-heading').closest('section');
    const changed = new Promise((ok) => {
      const mo = new MutationObserver(() => { mo.disconnect(); ok(); });
      mo.observe(table, { childList: true, subtree: true, characterData: true });
      setTimeout(() => { mo.disconnect(); ok(); }, 2000);
    });
    const t = performance.now();
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await changed;
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 50));
  }
  return times;
});
const inOrder = keystrokes.map((t) => t.toFixed(1)).join(', ');
keystrokes.sort((a, b) => a - b);
const median = keystrokes[Math.floor(keystrokes.length / 2)];
console.log(`groups table, ${GROUPS} groups / ${RESOURCES} resources (headless Chromium, release build):`);
console.log(`  navigation → table interactive: ${interactive} ms (target < 1000 ms)`);
console.log(`  navigation → matching counts of the visible page filled in: ${counted} ms`);
console.log(`  filter keystroke → updated table: median ${median.toFixed(1)} ms, max ${keystrokes.at(-1).toFixed(1)} ms over ${keystrokes.length} keystrokes (target < 16 ms)`);
console.log(`  each keystroke, in order (ms): ${inOrder}`);
await browser.close();
server.close();
