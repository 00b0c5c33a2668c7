// Encryption at rest, in the release build: after turning it on, a raw dump of IndexedDB and
// localStorage holds none of the descriptions, tag keys and values, ARNs or query texts that
// were entered; a reload shows the lock screen, a wrong passphrase reads nothing, the right one
// shows everything; "Lock now" locks every tab; the passphrase changes; turning off gives the
// plain data back; a tab closed in the middle of turning it on leaves the data whole, and the
// next start finishes it; and sync round-trips with moto while encrypted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectHeading, idbRecords, importGroups as importInto } from './helpers.mjs';
import { connectBackend, goVia, syncNow, useBackendApp } from './backend.mjs';

const env = useBackendApp();
const PASS = 'correct horse battery staple';

// What a person enters, and must not find on disk once encrypted.
const SECRETS = {
  description: 'Restructuring plans not for release',
  tagKey: 'Kostenstelle',
  tagValue: 'Fusée-Ünïcode',
  queryKey: '環境',
  queryValue: '本番環境',
  name: 'payroll-layoffs',
  arn: 'arn:aws:sns:ap-northeast-1:123456789012:secret-topic-שלום',
  resourceTag: 'Geheimprojekt',
};

const q = JSON.stringify({ ResourceTypeFilters: ['AWS::AllSupported'], TagFilters: [{ Key: SECRETS.queryKey, Values: [SECRETS.queryValue] }] });
const entry = (name, i) => ({
  Group: { GroupArn: '', Name: name, Description: i === 0 ? SECRETS.description : `private note ${i}` },
  GroupQuery: { GroupName: name, ResourceQuery: { Type: 'TAG_FILTERS_1_0', Query: q } },
  Tags: { [SECRETS.tagKey]: SECRETS.tagValue, Team: `team-${i}` },
});

const importGroups = (page, names) => importInto(page, env.root.url, names.map(entry));

async function importResources(page) {
  await page.goto(env.root.url + 'resources');
  await expectHeading(page, 'Resources');
  const list = [{ ResourceARN: SECRETS.arn, Tags: [{ Key: SECRETS.resourceTag, Value: 'ja' }] }];
  await page.getByLabel('Or paste JSON or CSV').fill(JSON.stringify({ ResourceTagMappingList: list }));
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import all (1)' }).click();
  await page.locator('.flash', { hasText: 'Resources imported' }).waitFor();
}

/** Every store of the database and all of localStorage as text (bytes as their characters). */
async function rawDump(page) {
  return page.evaluate(() => new Promise((ok, fail) => {
    const open = indexedDB.open('group-console');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const names = Array.from(db.objectStoreNames);
      const tx = db.transaction(names, 'readonly');
      const parts = [];
      const text = (v) => {
        if (v instanceof Uint8Array || v instanceof ArrayBuffer) return new TextDecoder('latin1').decode(v);
        if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => k + ':' + text(x)).join(',');
        return String(v);
      };
      for (const n of names) {
        const c = tx.objectStore(n).openCursor();
        c.onsuccess = () => { const cur = c.result; if (!cur) return; parts.push(`${n} ${String(cur.key)} ${text(cur.value)}`); cur.continue(); };
      }
      tx.oncomplete = () => {
        db.close();
        for (let i = 0; i < localStorage.length; i++) {
          const k = localStorage.key(i);
          parts.push(`localStorage ${k} ${localStorage.getItem(k)}`);
        }
        ok(parts.join('\n'));
      };
      tx.onabort = () => fail(tx.error);
    };
  }));
}

async function turnOn(page, pass = PASS) {
  await page.goto(env.root.url + 'settings');
  await expectHeading(page, 'Settings');
  await page.locator('#enc-pass').fill('short');
  await page.locator('#enc-strength', { hasText: 'Too short' }).waitFor();
  await page.locator('#enc-pass').fill(pass);
  await page.locator('#enc-strength', { hasText: 'Strong' }).waitFor();
  await page.locator('#enc-confirm').fill(pass);
  // Not without the acknowledgement.
  await page.locator('#enc-turn-on').click();
  await page.locator('#enc-ack-error', { hasText: 'cannot be recovered' }).waitFor();
  await page.locator('#enc-ack').check();
  await page.locator('#enc-turn-on').click();
  await page.locator('.flash', { hasText: 'Encryption is on' }).waitFor({ timeout: 30000 });
  await page.locator('#lock-now').waitFor();
}

async function unlock(page, pass) {
  await expectHeading(page, 'Group Console is locked');
  await page.locator('#unlock-passphrase').fill(pass);
  await page.locator('#unlock-button').click();
}

test('encrypted: nothing entered is on disk; locked on reload; a wrong passphrase reads nothing; change; turn off', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const figures = [];
  page.on('console', (m) => { if (m.text().startsWith('gc figure:')) figures.push(m.text()); });
  await importGroups(page, [SECRETS.name, 'web-prod', 'data-lake']);
  await importResources(page);
  // A tag-key column on the Resources page: remembered in localStorage while plain.
  const plainDump = await rawDump(page);
  for (const [what, s] of Object.entries(SECRETS)) assert.ok(plainDump.includes(s), `the plain store holds the ${what}`);
  const before = await idbRecords(page, 'groups');

  await turnOn(page);
  const sealed = await rawDump(page);
  for (const [what, s] of Object.entries(SECRETS)) assert.ok(!sealed.includes(s), `the ${what} is not on disk once encrypted`);
  assert.ok(!sealed.includes(PASS), 'the passphrase is stored nowhere');

  // A reload: the lock screen, and nothing else of the app.
  await page.reload();
  await expectHeading(page, 'Group Console is locked');
  assert.equal(await page.locator('#side-nav').count(), 0);
  await unlock(page, 'correct horse battery stapler');
  await page.locator('#unlock-error', { hasText: 'does not unlock' }).waitFor();
  assert.ok(!(await page.content()).includes(SECRETS.description), 'a wrong passphrase shows nothing');
  await page.locator('#unlock-passphrase').fill(PASS);
  await page.locator('#unlock-button').click();
  await page.locator('#lock-now').waitFor();
  await page.goto(env.root.url + 'groups/' + SECRETS.name);
  await unlock(page, PASS);
  await expectHeading(page, SECRETS.name);
  await page.getByText(SECRETS.description).waitFor();

  // An edit while encrypted is saved encrypted.
  await page.goto(env.root.url + 'groups');
  await unlock(page, PASS);
  await expectHeading(page, 'Groups');
  await page.locator('tbody th.cell-name').getByRole('link', { name: 'web-prod', exact: true }).waitFor();

  // "Lock now" locks this tab and every other.
  const other = await context.newPage();
  await other.goto(env.root.url + 'groups');
  await unlock(other, PASS);
  await expectHeading(other, 'Groups');
  await page.locator('#lock-now').click();
  await expectHeading(page, 'Group Console is locked');
  await expectHeading(other, 'Group Console is locked');
  await other.close();

  // Change the passphrase: the old one no longer unlocks.
  await unlock(page, PASS);
  await page.locator('#lock-now').waitFor();
  await page.goto(env.root.url + 'settings');
  await unlock(page, PASS);
  await expectHeading(page, 'Settings');
  await page.locator('#enc-current').fill(PASS);
  await page.locator('#enc-new').fill('seven unrelated words make a fine passphrase');
  await page.locator('#enc-new-confirm').fill('seven unrelated words make a fine passphrase');
  await page.locator('#enc-change').click();
  await page.locator('.flash', { hasText: 'The passphrase is changed' }).waitFor({ timeout: 30000 });
  await page.reload();
  await unlock(page, PASS);
  await page.locator('#unlock-error', { hasText: 'does not unlock' }).waitFor();
  await page.locator('#unlock-passphrase').fill('seven unrelated words make a fine passphrase');
  await page.locator('#unlock-button').click();
  await expectHeading(page, 'Settings');

  // Turn off: plain again, nothing lost.
  await page.locator('#enc-off-pass').fill('seven unrelated words make a fine passphrase');
  await page.locator('#enc-turn-off').click();
  await page.locator('.flash', { hasText: 'Encryption is off' }).waitFor({ timeout: 30000 });
  assert.deepEqual(await idbRecords(page, 'groups'), before);
  const plainAgain = await rawDump(page);
  for (const s of [SECRETS.description, SECRETS.arn, SECRETS.queryValue]) assert.ok(plainAgain.includes(s));
  await page.reload();
  await expectHeading(page, 'Settings');
  assert.equal(await page.locator('#lock-now').count(), 0);
  console.log(figures.join('\n'));
  await context.close();
});

test('a tab closed while encryption is being turned on: the data is whole, and the next start finishes', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const names = Array.from({ length: 1500 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
  await importGroups(page, names);
  const before = await idbRecords(page, 'groups');
  assert.equal(before.length, 1500);
  await page.goto(env.root.url + 'settings');
  await expectHeading(page, 'Settings');
  await page.locator('#enc-pass').fill(PASS);
  await page.locator('#enc-confirm').fill(PASS);
  await page.locator('#enc-ack').check();
  // A second page of the same origin watches for the keys to be stored ("started"), and the
  // first is closed at that moment: before the switch's one transaction could commit.
  const watcher = await context.newPage();
  await watcher.goto(env.root.url + 'favicon.svg');
  const started = watcher.evaluate(() => new Promise((ok) => {
    const poll = () => {
      const open = indexedDB.open('group-console');
      open.onsuccess = () => {
        const db = open.result;
        const r = db.transaction('meta').objectStore('meta').get('vault');
        r.onsuccess = () => { db.close(); if (typeof r.result === 'string' && JSON.parse(r.result).state === 'sealing') ok(); else setTimeout(poll, 2); };
      };
    };
    poll();
  }));
  await page.locator('#enc-turn-on').click();
  await started;
  await page.close();

  const page2 = await context.newPage();
  await page2.goto(env.root.url + 'settings');
  await expectHeading(page2, 'Settings');
  await page2.locator('#encryption-status', { hasText: 'did not finish' }).waitFor();
  assert.deepEqual(await idbRecords(page2, 'groups'), before, 'the data is whole and plain');
  await page2.locator('#enc-finish-pass').fill('not the one');
  await page2.locator('#enc-finish').click();
  await page2.locator('#enc-finish-error', { hasText: 'does not unlock' }).waitFor();
  await page2.locator('#enc-finish-pass').fill(PASS);
  await page2.locator('#enc-finish').click();
  await page2.locator('.flash', { hasText: 'Encryption is on' }).waitFor({ timeout: 60000 });
  const sealed = await rawDump(page2);
  assert.ok(!sealed.includes('bulk-0001') && !sealed.includes('private note 7'));
  await page2.reload();
  await unlock(page2, PASS);
  await expectHeading(page2, 'Settings');
  await page2.goto(env.root.url + 'groups');
  await unlock(page2, PASS);
  await page2.locator('#groups-heading .counter', { hasText: '(1500)' }).waitFor({ timeout: 30000 });
  await watcher.close();
  await context.close();
});

test('sync round trip with moto while encrypted', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.root.url + 'groups');
  await turnOn(page);
  // A reload asks for the passphrase; then the backend, through the navigation (a reload
  // would forget the credentials, which live in memory only).
  await page.reload();
  await unlock(page, PASS);
  await expectHeading(page, 'Settings');
  await connectBackend(page, env);
  await page.locator('#consent-quiet').click();
  await page.locator('#consent-line', { hasText: 'go without asking' }).waitFor();
  await goVia(page, 'Groups', 'Groups');
  await page.getByRole('link', { name: 'Create group' }).first().click();
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill('sealed-sync');
  await page.getByLabel('Description - optional').fill('kept private');
  await page.getByLabel('Filter key 1').fill('Stage');
  await page.getByLabel('Filter values 1').fill('Prod');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, 'sealed-sync');
  await env.backend.rg('create', 'from-boto3');
  await env.backend.rg('describe', 'from-boto3', 'made on the other side');
  await syncNow(page);
  assert.deepEqual((await env.backend.rg('list')).sort(), ['from-boto3', 'sealed-sync']);
  assert.equal((await env.backend.rg('get', 'sealed-sync')).Description, 'kept private');
  await goVia(page, 'Groups', 'Groups');
  await page.locator('tbody th.cell-name').getByRole('link', { name: 'from-boto3', exact: true }).waitFor();
  const sealed = await rawDump(page);
  assert.ok(sealed.includes('"state":"on"'), 'still encrypted');
  for (const s of ['sealed-sync', 'from-boto3', 'kept private', 'made on the other side']) assert.ok(!sealed.includes(s), s);
  await context.close();
});
