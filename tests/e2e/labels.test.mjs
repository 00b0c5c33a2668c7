// Criticality, Owner, DisplayName and ApplicationTag, against moto extended with them
// (tests/backend/moto_rg_fields.py) and boto3 as the other side: a group made by boto3 with
// all of them round-trips with no loss; a display name edited here goes out as one UpdateGroup
// that carries only that field (moto's request log says which keys it had); an owner changed
// on both sides is the only conflict and resolves field by field while the other fields merge;
// export then import keeps every field; the create form sends them on CreateGroup.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { expectHeading, importGroups } from './helpers.mjs';
import { configureBackend, goVia, syncNow, useBackendApp } from './backend.mjs';

const env = useBackendApp();
const APP = 'arn:aws:resource-groups:us-east-1:123456789012:group/storefront/0a1b2c3d4e5f6g7h8i9j0k1l2m';

async function configure(page) {
  await configureBackend(page, env);
  await page.locator('#consent-quiet').click();
  await page.locator('#consent-line', { hasText: 'go without asking' }).waitFor();
}

async function openGroup(page, name) {
  await goVia(page, 'Groups', 'Groups');
  await page.locator('#groups-filter').fill(name);
  await page.locator('tbody th.cell-name').getByRole('link', { name, exact: true }).click();
  await expectHeading(page, name);
}

/** The labels as the group page shows them. */
async function shown(page) {
  const text = async (id) => (await page.locator(`#labels #${id}`).textContent()).trim();
  return { DisplayName: await text('display-name'), Owner: await text('owner'), Criticality: await text('criticality') };
}

/** The Resource Groups writes the app made since the log was cleared: [path, request keys]. */
async function writes() {
  const calls = await env.backend.rg('rg-calls');
  return calls
    .filter(([method, path]) => method !== 'GET' && !/^\/(get-|groups-list|list-)/.test(path))
    .map(([, path, keys]) => [path, keys]);
}

async function editLabels(page, { displayName, owner }) {
  await page.locator('#edit-labels').click();
  if (displayName !== undefined) await page.locator('#edit-display-name').fill(displayName);
  if (owner !== undefined) await page.locator('#edit-owner').fill(owner);
  await page.getByRole('button', { name: 'Save details' }).click();
  await page.locator('.flash', { hasText: 'Details saved' }).waitFor();
}

test('a group boto3 made with every new field round-trips with no loss, and a display name edit sends only that field', async () => {
  await env.backend.rg('create-labelled', 'storefront', 2, 'Équipe plateforme', 'ストアフロント 本番');
  await env.backend.rg('app-tag', 'storefront', APP);
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await configure(page);
  await syncNow(page);
  await openGroup(page, 'storefront');
  assert.deepEqual(await shown(page), { DisplayName: 'ストアフロント 本番', Owner: 'Équipe plateforme', Criticality: '2' });
  assert.match(await page.locator('#labels #application').textContent(), /0a1b2c3d4e5f6g7h8i9j0k1l2m/);

  // Nothing was changed here, so a second sync writes nothing back.
  await env.backend.rg('rg-calls', 'clear');
  await syncNow(page);
  assert.deepEqual(await writes(), [], 'a pull alone sends no write');

  await openGroup(page, 'storefront');
  await editLabels(page, { displayName: 'ストアフロント' });
  await env.backend.rg('rg-calls', 'clear');
  await syncNow(page);
  assert.deepEqual(await writes(), [['/update-group', ['DisplayName', 'Group', 'GroupName']]],
    'one UpdateGroup, with the display name and nothing else');
  assert.deepEqual(await env.backend.rg('labels', 'storefront'), {
    Criticality: 2, Owner: 'Équipe plateforme', DisplayName: 'ストアフロント', ApplicationTag: { awsApplication: APP },
  });
  await context.close();
});

test('an owner changed on both sides is the only conflict, resolved field by field while the rest merges', async () => {
  await env.backend.rg('create-labelled', 'billing', 5, 'team-billing', 'Billing');
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await configure(page);
  await syncNow(page);
  await openGroup(page, 'billing');
  await editLabels(page, { displayName: 'Facturation', owner: 'Équipe facturation' });
  await env.backend.rg('set-labels', 'billing', JSON.stringify({ Owner: 'finance-ops', Criticality: 1 }));
  await syncNow(page);

  await openGroup(page, 'billing');
  const panel = page.locator('#conflict-panel');
  await panel.waitFor();
  const rows = await panel.locator('tbody th[scope="row"]').allTextContents();
  assert.deepEqual(rows.map((r) => r.trim()), ['Owner'], 'the owner alone is in conflict');
  await panel.locator('input[name="keep-Owner"]').nth(1).check(); // Theirs
  await page.locator('#conflict-apply').click();
  await panel.waitFor({ state: 'detached' });
  await syncNow(page);

  assert.deepEqual(await env.backend.rg('labels', 'billing'), { Criticality: 1, Owner: 'finance-ops', DisplayName: 'Facturation' });
  await openGroup(page, 'billing');
  assert.deepEqual(await shown(page), { DisplayName: 'Facturation', Owner: 'finance-ops', Criticality: '1' });
  await context.close();
});

test('made here with the create form, exported and imported: every field is kept', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await configure(page);
  await goVia(page, 'Groups', 'Groups');
  await page.getByRole('link', { name: 'Create group' }).first().click();
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill('orders');
  await page.getByLabel('Filter key 1').fill('Stage');
  await page.getByLabel('Filter values 1').fill('Prod');
  await page.locator('#group-display-name').fill('Commandes 注文');
  await page.locator('#group-owner').fill('ops@example.com');
  // An email address in the owner: the data-protection warning, and a confirmation to save.
  await page.locator('#group-owner-error .form-warning', { hasText: 'email address' }).waitFor();
  await page.locator('#group-criticality').selectOption('3');
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.locator('#save-anyway').check();
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, 'orders');
  await env.backend.rg('rg-calls', 'clear');
  await syncNow(page);
  const created = (await writes()).find(([path]) => path === '/groups');
  assert.ok(created, 'CreateGroup was sent');
  for (const key of ['Criticality', 'DisplayName', 'Owner']) assert.ok(created[1].includes(key), `${key} in CreateGroup`);
  assert.deepEqual(await env.backend.rg('labels', 'orders'), { Criticality: 3, Owner: 'ops@example.com', DisplayName: 'Commandes 注文' });

  await page.goto(env.root.url + 'settings');
  await expectHeading(page, 'Settings');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export all groups' }).click()]);
  const file = await download.path();
  const exported = JSON.parse(await readFile(file, 'utf8'));
  const entry = exported.Groups.find((g) => g.Group.Name === 'orders');
  assert.equal(entry.Group.Criticality, 3);
  assert.equal(entry.Group.Owner, 'ops@example.com');
  assert.equal(entry.Group.DisplayName, 'Commandes 注文');

  // Into a browser that has never seen it (a new context: its own IndexedDB).
  const other = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const fresh = await other.newPage();
  await fresh.goto(env.root.url + 'settings');
  await expectHeading(fresh, 'Settings');
  await fresh.getByLabel('Choose a file').setInputFiles(file);
  await fresh.waitForFunction(() => document.getElementById('import-text').value.length > 0);
  await fresh.getByRole('button', { name: 'Preview import' }).click();
  await fresh.getByRole('button', { name: /^Import all/ }).click();
  await fresh.locator('.flash', { hasText: 'Import complete' }).waitFor();
  await fresh.goto(env.root.url + 'groups/orders');
  await expectHeading(fresh, 'orders');
  assert.deepEqual(await shown(fresh), { DisplayName: 'Commandes 注文', Owner: 'ops@example.com', Criticality: '3' });
  await other.close();
  await context.close();
});

test('a host management group made here is read back by boto3 identically; an AppRegistry group is shown read-only', async () => {
  await env.backend.rg('create-configured', 'shop-application', JSON.stringify([
    { Type: 'AWS::AppRegistry::Application', Parameters: [
      { Name: 'Name', Values: ['shop'] },
      { Name: 'Arn', Values: ['arn:aws:servicecatalog:us-east-1:123456789012:/applications/0abc123def456ghi789jkl'] },
    ] },
  ]));
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await configure(page);
  await goVia(page, 'Groups', 'Groups');
  await page.getByRole('link', { name: 'Create group' }).first().click();
  await expectHeading(page, 'Create group');
  await page.getByLabel('Name', { exact: true }).fill('license-hosts');
  await page.locator('#group-kind-configuration').check();
  await page.locator('#group-hosts').check();
  await page.locator('#group-auto-allocate').selectOption('true');
  await page.locator('#group-families').fill('c5, m5');
  // Neither license choice: the documented rule, next to the configuration.
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.locator('#group-configuration-error', { hasText: 'one of the two' }).waitFor();
  await page.locator('#group-any-license').check();
  const shownJson = JSON.parse(await page.locator('#group-configuration-json').textContent());
  await page.getByRole('button', { name: 'Create group' }).click();
  await expectHeading(page, 'license-hosts');
  await syncNow(page);

  const stored = await env.backend.rg('configuration', 'license-hosts');
  assert.deepEqual(stored, shownJson, 'boto3 reads back what the form showed');
  assert.deepEqual(stored, [
    { Type: 'AWS::EC2::HostManagement', Parameters: [
      { Name: 'auto-allocate-host', Values: ['true'] },
      { Name: 'allowed-host-families', Values: ['c5', 'm5'] },
      { Name: 'any-host-based-license-configuration', Values: ['true'] },
    ] },
    { Type: 'AWS::ResourceGroups::Generic', Parameters: [
      { Name: 'allowed-resource-types', Values: ['AWS::EC2::Host'] },
      { Name: 'deletion-protection', Values: ['UNLESS_EMPTY'] },
    ] },
  ]);

  // Static membership: moto has no GroupResources, and the page says so in plain words.
  await openGroup(page, 'license-hosts');
  await page.locator('#static-arns').fill('not-an-arn');
  await page.locator('#static-arns-error', { hasText: 'Not an ARN' }).waitFor();
  await page.locator('#static-arns').fill('arn:aws:ec2:us-east-1:123456789012:dedicated-host/h-0a1b2c3d4e5f67890');
  await page.locator('#static-add').click();
  await page.locator('#static-result', { hasText: 'Not supported by this backend' }).waitFor();

  // The AppRegistry group came in with the pull (AWS's capitalised parameter names are read),
  // and its page says why it cannot be changed here.
  await page.goto(env.root.url + 'groups/shop-application');
  await expectHeading(page, 'shop-application');
  await page.getByRole('tab', { name: 'Query' }).click();
  await page.locator('#configuration-read-only', { hasText: 'AppRegistry' }).waitFor();
  assert.equal(await page.locator('#save-configuration').count(), 0);
  await context.close();
});

test('the groups table filters by owner, criticality, resource and configuration type as ListGroups does', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const q = (types) => JSON.stringify({ ResourceTypeFilters: types, TagFilters: [{ Key: '環境', Values: ['本番'] }] });
  const entry = (name, group, types) => ({
    Group: { GroupArn: '', Name: name, ...group },
    GroupQuery: { GroupName: name, ResourceQuery: { Type: 'TAG_FILTERS_1_0', Query: q(types) } },
    Tags: {},
  });
  await importGroups(page, env.root.url, [
    entry('web', { Owner: 'Équipe web', Criticality: 1 }, ['AWS::EC2::Instance']),
    entry('data', { Owner: 'Équipe données', Criticality: 2, DisplayName: 'Données' }, ['AWS::S3::Bucket']),
    entry('misc', {}, ['AWS::AllSupported']),
  ]);
  await page.goto(env.root.url + 'groups');
  await expectHeading(page, 'Groups');
  const names = async () => (await page.locator('tbody th.cell-name').allTextContents()).map((t) => t.trim());
  await page.locator('tbody th.cell-name').first().waitFor();
  assert.deepEqual(await names(), ['data', 'misc', 'web']);
  await page.locator('#group-filters-toggle').click();
  await page.locator('#filter-owner').fill('Équipe web, Équipe données');
  await page.locator('#filter-owner').press('Tab');
  assert.deepEqual(await names(), ['data', 'web']);
  await page.locator('#filter-criticality').fill('2');
  await page.locator('#filter-criticality').press('Tab');
  assert.deepEqual(await names(), ['data']);
  await page.locator('#group-filters-clear').click();
  await page.locator('#filter-resource-type').fill('AWS::EC2::Instance');
  await page.locator('#filter-resource-type').press('Tab');
  assert.deepEqual(await names(), ['web']);
  await context.close();
});

test('a group with a Network Firewall configuration beside its query keeps both through a pull and a query edit', async () => {
  const RULE_GROUP = [{ Type: 'AWS::NetworkFirewall::RuleGroup', Parameters: [] }];
  await env.backend.rg('create-query-configured', 'pare-feu-cibles', 'Prod', JSON.stringify(RULE_GROUP));
  await env.backend.rg('create', 'autre', 'Prod');
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await configure(page);
  await syncNow(page);
  await openGroup(page, 'pare-feu-cibles');
  await page.locator('dd', { hasText: 'with a service configuration' }).waitFor();
  await page.getByRole('tab', { name: 'Query' }).click();
  await page.locator('#configuration-read-only', { hasText: 'Network Firewall' }).waitFor();
  // As AWS stores it (an empty parameter list is left out, as the CLI's JSON may).
  assert.deepEqual(JSON.parse(await page.locator('#configuration-json').textContent()), [{ Type: RULE_GROUP[0].Type }]);

  // The configuration-type filter finds it here; asked of the backend, moto (which ignores
  // ListGroups' Filters) lists the other group too, and the page says so rather than counting it.
  await goVia(page, 'Groups', 'Groups');
  await page.locator('#group-filters-toggle').click();
  await page.locator('#filter-configuration-type').fill('AWS::NetworkFirewall::RuleGroup');
  await page.locator('#filter-configuration-type').press('Tab');
  await page.waitForFunction(() => document.querySelectorAll('tbody th.cell-name').length === 1);
  assert.equal((await page.locator('tbody th.cell-name').textContent()).trim(), 'pare-feu-cibles');
  await page.locator('#filters-backend').click();
  const said = page.locator('#filters-backend-result');
  await said.locator('li').first().waitFor();
  assert.deepEqual((await said.locator('li').allTextContents()).map((t) => t.trim()), [
    'The backend lists 2 groups with these filters.',
    '1 is listed there but does not match here (the backend may ignore a filter, or it changed there): autre.',
  ]);

  // A pull alone writes nothing back (the configuration read is the one stored).
  await env.backend.rg('rg-calls', 'clear');
  await syncNow(page);
  assert.deepEqual(await writes(), [], 'a pull alone sends no write');

  // The query is edited here: one UpdateGroupQuery, and the configuration stays on the backend.
  await openGroup(page, 'pare-feu-cibles');
  await page.getByRole('tab', { name: 'Query' }).click();
  await page.getByLabel('Filter values 1').fill('Prod, Préprod');
  await page.getByRole('button', { name: 'Save query' }).click();
  await page.locator('.flash', { hasText: 'Query saved' }).waitFor();
  await env.backend.rg('rg-calls', 'clear');
  await syncNow(page);
  assert.deepEqual((await writes()).map(([path]) => path), ['/update-group-query']);
  assert.deepEqual(await env.backend.rg('configuration', 'pare-feu-cibles'), RULE_GROUP);
  const stored = await env.backend.rg('get', 'pare-feu-cibles');
  assert.deepEqual(JSON.parse(stored.Query.Query).TagFilters, [{ Key: 'Stage', Values: ['Prod', 'Préprod'] }]);
  // And it is still shown with both after the next pull.
  await syncNow(page);
  await openGroup(page, 'pare-feu-cibles');
  await page.locator('dd', { hasText: 'with a service configuration' }).waitFor();
  await context.close();
});
