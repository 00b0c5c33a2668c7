// What the UI benchmarks share (scripts/bench-ui.mjs, scripts/bench-vault.mjs): the browser,
// the data they seed straight into the app's database, and the in-page measurements of a
// keystroke and of a saved tag edit, each to the next frame painted.

import { chromium } from 'playwright-core';

export async function launchBench() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

// The inventory's tags, here and in the page (passed as source): Team (empty on every 11th),
// Stage (missing on every 7th), Name; every 13th resource has no tags at all. The finder's
// answers are checked against this at the end.
export function benchTags(i) {
  const stages = ['Dev', 'Test', 'Prod', 'Staging'];
  const teams = ['web', 'data', 'mobile', 'platform', 'security'];
  if (i % 13 === 0) return [];
  const tags = [['Team', i % 11 === 0 ? '' : teams[i % 5]]];
  if (i % 7 !== 0) tags.push(['Stage', stages[(i >> 3) % 4]]);
  tags.push(['Name', 'r' + i]);
  return tags;
}
export async function seed(page, GROUPS, RESOURCES) {
  const allTags = Array.from({ length: RESOURCES }, (_, i) => benchTags(i));
  const ms = await page.evaluate(async ({ GROUPS, RESOURCES, allTags }) => {
  const benchTags = (i) => allTags[i];
  const db = await new Promise((ok, err) => {
    const r = indexedDB.open('group-console');
    r.onsuccess = () => ok(r.result);
    r.onerror = () => err(r.error);
  });
  const t0 = performance.now();
  await new Promise((ok, err) => {
    const tx = db.transaction(['groups', 'inventory'], 'readwrite', { durability: 'relaxed' });
    const groups = tx.objectStore('groups');
    // The inventory as the app stores it (schema v5, see src/store/idb.rs): 256 blocks, each a
    // JSON list of resource records in ARN order; a resource's block is FNV-1a of its ARN.
    const inventory = tx.objectStore('inventory');
    const blockOf = (arn) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < arn.length; i++) h = Math.imul(h ^ arn.charCodeAt(i), 0x01000193) >>> 0;
      return h % 256;
    };
    const blocks = new Map();
    const stages = ['Dev', 'Test', 'Prod', 'Staging'];
    const teams = ['web', 'data', 'mobile', 'platform', 'security'];
    for (let i = 0; i < GROUPS; i++) {
      const query = JSON.stringify({ ResourceTypeFilters: ['AWS::AllSupported'], TagFilters: [{ Key: 'Team', Values: [teams[i % 5]] }, { Key: 'Stage', Values: [stages[i % 4]] }] });
      groups.put({ name: `group-${String(i).padStart(5, '0')}`, description: '', query: { Type: 'TAG_FILTERS_1_0', Query: query }, tags: { Owner: `o${i % 50}` }, createdAt: 1, updatedAt: 1 + i });
    }
    for (let i = 0; i < RESOURCES; i++) {
      const arn = `arn:aws:ec2:us-east-1:000000000000:instance/i-${i.toString(16).padStart(17, '0')}`;
      const b = blockOf(arn);
      if (!blocks.has(b)) blocks.set(b, []);
      blocks.get(b).push({ arn, type: 'AWS::EC2::Instance', tags: benchTags(i) });
    }
    for (const [b, list] of blocks) inventory.put(JSON.stringify(list), b);
    tx.oncomplete = ok;
    tx.onabort = () => err(tx.error);
  });
  db.close();
  return performance.now() - t0;
}, { GROUPS, RESOURCES, allTags });
  return { allTags, ms };
}

// Typing into a table's filter, measured in the page: from the input event to the next frame
// painted after the table's DOM changed — an animation frame (it runs just before that paint)
// and then a task (it runs once the frame is painted) — not merely to the first DOM mutation.
export async function keystrokes(page, filterId, sectionOf, texts) {
  return page.evaluate(async ({ filterId, sectionOf, texts }) => {
    const input = document.getElementById(filterId);
    const section = document.getElementById(sectionOf).closest('section');
    const painted = () => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
    const times = [];
    for (const text of texts) {
      const changed = new Promise((ok) => {
        const mo = new MutationObserver(() => { mo.disconnect(); ok(); });
        mo.observe(section, { childList: true, subtree: true, characterData: true });
        setTimeout(() => { mo.disconnect(); ok(); }, 2000);
      });
      const t = performance.now();
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await changed;
      await painted();
      times.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 50));
    }
    return times;
  }, { filterId, sectionOf, texts });
}

export function summary(times) {
  const inOrder = times.map((t) => t.toFixed(1)).join(', ');
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1), inOrder, n: times.length };
}


// One tag edit saved on a group's page: from the click on "Save tags" to the frame painted
// after the success notice is shown (the groups list is patched in the same step).
// `open` loads the group's page (bench-vault unlocks after the load).
export async function tagEdits(page, groupUrl, open = (p, u) => p.goto(u), values = ['edited-1', 'edited-2', 'edited-3', 'edited-4', 'edited-5']) {
await open(page, groupUrl);
await page.waitForSelector('h1#page-title');
// Settled: the inventory has loaded and the group's resources tab shows its rows.
await page.waitForSelector('.tab-panel tbody tr', { timeout: 60000 });
await page.getByRole('tab', { name: 'Tags' }).click();
await page.getByLabel('Tag value 1').waitFor();
const times = [];
for (const value of values) {
  // The page shows the saved group afresh (tabs included), so the Tags tab is opened each time.
  await page.getByRole('tab', { name: 'Tags' }).click();
  await page.getByLabel('Tag value 1').fill(value);
  const ms = await page.evaluate(async () => {
    const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
    const painted = () => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Save tags');
    const bar = document.querySelector('.flashbar');
    const before = bar.querySelectorAll('.flash').length;
    const shown = new Promise((ok) => {
      const check = () => [...bar.querySelectorAll('.flash')].some((f) => f.textContent.includes('Tags saved')) && bar.querySelectorAll('.flash').length >= before;
      const mo = new MutationObserver(() => { if (check()) { mo.disconnect(); ok(); } });
      mo.observe(bar, { childList: true, subtree: true, characterData: true });
      setTimeout(() => { mo.disconnect(); ok('missed'); }, 20000);
    });
    for (const f of bar.querySelectorAll('.flash-dismiss')) f.click();
    await frame();
    const t = performance.now();
    button.click();
    if (await shown === 'missed') {
      // No "Tags saved" within 20 s: not a time. Say what the page showed instead.
      return { missed: [...bar.querySelectorAll('.flash')].map((f) => f.textContent.trim()).join(' | ') || '(no notice)' };
    }
    await painted();
    return performance.now() - t;
  });
  if (typeof ms !== 'number') {
    console.log(`  tag edit "${value}": no "Tags saved" notice within 20 s; the page showed: ${ms.missed}`);
    continue;
  }
  times.push(ms);
}
return times;
}
