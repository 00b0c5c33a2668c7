// The release build in the second browser: headless Firefox ESR over WebDriver (geckodriver),
// from the site root and from a sub-path. The app boots, a group created in the form is
// listed and survives a reload (IndexedDB in Firefox), the guard blocks an AWS account ID in
// a name with the message next to the field, and the page's Content-Security-Policy is never
// violated (the static server sends the same policy report-only and collects the reports,
// since WebDriver cannot hear Firefox's console).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../scripts/static-server.mjs';
import { Firefox } from './webdriver.mjs';

const DIST = process.env.E2E_DIST || 'dist';
const DIST_SUBPATH = process.env.E2E_DIST_SUBPATH || 'target/e2e-dist-console';

let ff;
const servers = [];
before(async () => {
  ff = await Firefox.start();
});
after(async () => {
  await ff?.quit();
  for (const s of servers) await new Promise((ok) => s.close(ok));
});

async function serve(dir, mount) {
  const cspReports = [];
  const { server, url } = await startServer({ dir, mount, cspReports });
  servers.push(server);
  return { url, cspReports };
}

/** Fills the create form and submits it. */
async function create(name, key, values) {
  await ff.type(await ff.waitFor('#group-name'), name);
  await ff.type(await ff.waitFor('input[id^=filter-key-]'), key);
  await ff.type(await ff.waitFor('input[id^=filter-value-]'), values);
  await ff.click(await ff.waitFor('button[type=submit]'));
}

async function tableNames() {
  return ff.run(`return [...document.querySelectorAll('tbody th.cell-name')].map((c) => c.textContent.trim());`);
}

for (const [where, dir, mount] of [['the site root', DIST, '/'], ['a sub-path', DIST_SUBPATH, '/console/']]) {
  test(`Firefox: the app boots from ${where}, keeps a group over a reload, and the guard blocks an account ID`, async () => {
    const site = await serve(dir, mount);
    assert.match(ff.capabilities.browserName, /firefox/i);
    await ff.go(site.url + 'groups');
    await ff.waitForHeading('Groups');
    // The report channel works (else "no report" below would prove nothing): a script from
    // elsewhere is refused and reported, then the reports start again from none.
    await ff.run(`const s = document.createElement('script'); s.src = 'https://example.invalid/x.js'; document.head.append(s);`);
    await ff.waitUntil('the planted violation to be reported', async () => site.cspReports.length > 0);
    assert.match(site.cspReports[0], /script-src/);
    site.cspReports.length = 0;

    await ff.go(site.url + 'groups/new');
    await ff.waitForHeading('Create group');
    const name = mount === '/' ? 'ff-root' : 'ff-console';
    await create(name, '環境', '本番');
    await ff.waitForHeading(name);

    // Listed, and still there after a reload: stored in Firefox's IndexedDB.
    await ff.go(site.url + 'groups');
    await ff.waitUntil(`${name} in the table`, async () => (await tableNames()).includes(name));
    await ff.refresh();
    await ff.waitForHeading('Groups');
    await ff.waitUntil(`${name} in the table after a reload`, async () => (await tableNames()).includes(name));
    const stored = await ff.run(`
      return new Promise((ok, fail) => {
        const open = indexedDB.open('group-console');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const r = open.result.transaction('groups').objectStore('groups').getAll();
          r.onsuccess = () => { ok(r.result.map((g) => g.name)); open.result.close(); };
        };
      });`);
    assert.ok(stored.includes(name), `IndexedDB holds ${JSON.stringify(stored)}`);

    // The guard: an account ID in the name is refused next to the field, and nothing is made.
    await ff.go(site.url + 'groups/new');
    await ff.waitForHeading('Create group');
    await create('billing-123456789012', 'Stage', 'Prod');
    const error = await ff.waitFor('#group-name-error', /account/i);
    assert.match(await ff.text(error), /account/i);
    assert.equal(await ff.heading(), 'Create group');
    await ff.go(site.url + 'groups');
    await ff.waitForHeading('Groups');
    await ff.waitUntil('the table', async () => (await tableNames()).length > 0);
    assert.ok(!(await tableNames()).some((n) => n.includes('123456789012')));

    // Reports are sent as the page runs; give the last ones a moment to arrive.
    await new Promise((ok) => setTimeout(ok, 500));
    assert.deepEqual(site.cspReports, [], 'no Content-Security-Policy violation');
  });
}
