// Encryption at rest at scale (figures, not a test): 10,000 groups and 100,000 resources seeded
// plain, in headless Chromium against the release build in dist/. Plain first: the groups
// table after a navigation, a keystroke in its filter, a saved tag edit. Then encryption is
// turned on (the one switch transaction, timed), the page reloaded to the lock screen and
// unlocked: the key derivation (PBKDF2-SHA-256, 600,000 iterations) is printed apart from the
// rest of the unlock (unwrapping the keys, then reading and decrypting every record into
// memory). Then the same keystroke and tag-edit figures, encrypted.
//
// Usage: node scripts/bench-vault.mjs   (after scripts/build.sh)

import { startServer } from './static-server.mjs';
import { keystrokes, launchBench, seed, summary, tagEdits } from './bench-lib.mjs';

const GROUPS = 10_000;
const RESOURCES = 100_000;
const PASS = 'correct horse battery staple';
const { server, url } = await startServer({ dir: 'dist', mount: '/' });
const browser = await launchBench();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const kdf = [];
page.on('console', (m) => {
  const found = m.text().match(/^gc figure: unlock: key derivation ms (\d+)/);
  if (found) kdf.push(Number(found[1]));
});

await page.goto(url + 'groups');
await page.waitForSelector('h1#page-title');
await page.waitForTimeout(500);
const { ms: seeded } = await seed(page, GROUPS, RESOURCES);
console.log(`seeded ${GROUPS} groups and ${RESOURCES} resources in ${seeded.toFixed(0)} ms`);

const TEXTS = ['group-01', 'group-012', 'group-0123', 'group-01234', 'group-012', 'group-09', 'group-099', 'group-0999', 'o7', 'o1', 'web', 'group-0', 'group-00'];
const marks = () => page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark')
  .filter((m) => m.name.startsWith('gc:')).map((m) => [m.name, m.startTime])));

async function settled() {
  await page.waitForSelector('table tbody tr', { timeout: 120000 });
  await page.waitForFunction(() => performance.getEntriesByName('gc:resources-checked').length > 0, null, { timeout: 120000 });
  await page.waitForFunction(() => performance.getEntriesByName('gc:audit-done').length > 0, null, { timeout: 120000 });
}

// Plain.
let t0 = Date.now();
await page.goto(url + 'groups');
await page.waitForSelector('table tbody tr');
const plainInteractive = Date.now() - t0;
const plainMarks = await marks();
await settled();
const plainKeys = summary(await keystrokes(page, 'groups-filter', 'groups-heading', TEXTS));
const plainEdits = summary(await tagEdits(page, url + 'groups/group-00042'));

// Turn on: the form, then the switch until its notice.
await page.goto(url + 'settings');
await page.locator('#enc-pass').fill(PASS);
await page.locator('#enc-confirm').fill(PASS);
await page.locator('#enc-ack').check();
t0 = Date.now();
await page.locator('#enc-turn-on').click();
await page.locator('.flash', { hasText: 'Encryption is on' }).waitFor({ timeout: 300000 });
const switchMs = Date.now() - t0;

async function unlockAfterLoad(p, target) {
  await p.goto(target);
  await p.locator('#unlock-passphrase').fill(PASS);
  await p.locator('#unlock-button').click();
  await p.locator('#lock-now').waitFor({ timeout: 120000 });
}

// Unlock: click → keys unwrapped (KDF) → groups and inventory read, decrypted, in memory.
await page.goto(url + 'groups');
await page.locator('#unlock-passphrase').fill(PASS);
t0 = Date.now();
await page.locator('#unlock-button').click();
await page.waitForSelector('table tbody tr', { timeout: 120000 });
const unlockToTable = Date.now() - t0;
await page.waitForFunction(() => performance.getEntriesByName('gc:resources-read').length > 0, null, { timeout: 120000 });
const m = await marks();
const keysAt = m['gc:unlock-keys'];
const afterKdf = {
  groups: m['gc:groups-read'] - keysAt,
  resources: m['gc:resources-read'] - keysAt,
};
await settled();
const sealedKeys = summary(await keystrokes(page, 'groups-filter', 'groups-heading', TEXTS));
const sealedEdits = summary(await tagEdits(page, url + 'groups/group-00042', unlockAfterLoad));

console.log(`encryption at rest, ${GROUPS} groups / ${RESOURCES} resources (headless Chromium, release build):`);
console.log(`  plain: navigation → groups table interactive ${plainInteractive} ms; groups read at ${plainMarks['gc:groups-read']?.toFixed(0)} ms, inventory read at ${plainMarks['gc:resources-read']?.toFixed(0) ?? '?'} ms since navigation`);
console.log(`  turning encryption on (read everything, encrypt, one transaction), click → notice: ${switchMs} ms`);
console.log(`  unlock: key derivation (PBKDF2-SHA-256, 600,000 iterations) ${kdf.join(', ')} ms`);
console.log(`  unlock after the key derivation: groups decrypted and in memory ${afterKdf.groups.toFixed(0)} ms, inventory ${afterKdf.resources.toFixed(0)} ms (target ≤ 1500 ms); click → table shown ${unlockToTable} ms (KDF included)`);
console.log(`  groups filter keystroke → painted: plain median ${plainKeys.median.toFixed(1)} / max ${plainKeys.max.toFixed(1)} ms; encrypted median ${sealedKeys.median.toFixed(1)} / max ${sealedKeys.max.toFixed(1)} ms`);
console.log(`  one tag edit saved → notice painted: plain median ${plainEdits.median.toFixed(1)} ms (${plainEdits.inOrder}); encrypted median ${sealedEdits.median.toFixed(1)} ms (${sealedEdits.inOrder}); a save adds ${(sealedEdits.median - plainEdits.median).toFixed(1)} ms (target ≤ 10)`);
await page.evaluate(() => localStorage.clear());
await browser.close();
server.close();
