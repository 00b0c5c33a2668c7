// The sync tests' backend: moto's server (AWS Resource Groups) on 127.0.0.1 over HTTPS with a
// CA made for the run (tests/backend/make-ca.sh), wrapped in the small CORS layer browsers
// need (tests/backend/moto_server.py), behind a TCP relay that a test can stop and start to
// take the backend off the network without losing moto's in-memory state. boto3 plays the
// other side of sync (tests/backend/rg.py). Chromium trusts the server key through
// --ignore-certificate-errors-spki-list.

import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { after, before, beforeEach } from 'node:test';
import { promisify } from 'node:util';
import { DIST, expectHeading, launch, serve } from './helpers.mjs';

const run = promisify(execFile);
const PYTHON = '.venv/bin/python';
const CA_DIR = 'target/test-ca';

async function freePort() {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

async function waitForPort(port, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((done) => {
      const c = net.connect(port, '127.0.0.1', () => { c.destroy(); done(true); });
      c.on('error', () => done(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

/** A TCP relay 127.0.0.1:port → 127.0.0.1:target that can be stopped and started again. */
function relay(port, target) {
  let server = null;
  const sockets = new Set();
  const r = {
    connections: 0,
    delayMs: 0,
    start: () => new Promise((ok, fail) => {
      server = net.createServer((client) => {
        r.connections += 1;
        const upstream = net.connect(target, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => { client.destroy(); upstream.destroy(); });
        }
        client.pipe(upstream);
        // Answers pass through a delay a test can set (`relay.delayMs`): a slow backend.
        upstream.on('data', (chunk) => {
          if (r.delayMs <= 0) { client.write(chunk); return; }
          upstream.pause();
          setTimeout(() => { client.write(chunk); upstream.resume(); }, r.delayMs);
        });
        upstream.on('end', () => setTimeout(() => client.end(), r.delayMs));
      });
      server.on('error', fail);
      server.listen(port, '127.0.0.1', ok);
    }),
    /** Refuses new connections and cuts the open ones, as a stopped server would. */
    stop: () => new Promise((ok) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server) return ok();
      server.close(() => ok());
      server = null;
    }),
  };
  return r;
}

export async function startBackend() {
  await run('bash', ['tests/backend/make-ca.sh', CA_DIR]);
  const motoPort = await freePort();
  const moto = spawn(PYTHON, ['tests/backend/moto_server.py', '--port', String(motoPort),
    '--cert', `${CA_DIR}/server.pem`, '--key', `${CA_DIR}/server.key`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  moto.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  await waitForPort(motoPort);
  const port = await freePort();
  const front = relay(port, motoPort);
  await front.start();
  const url = `https://127.0.0.1:${port}`;
  const rg = async (...args) => {
    const { stdout } = await run(PYTHON, ['tests/backend/rg.py', `https://127.0.0.1:${motoPort}`, `${CA_DIR}/ca.pem`, ...args.map(String)],
      { maxBuffer: 1 << 24 });
    return JSON.parse(stdout);
  };
  return {
    url,
    spki: readFileSync(`${CA_DIR}/spki.txt`, 'utf8').trim(),
    relay: front,
    rg,
    stderr: () => stderr,
    close: async () => {
      await front.stop();
      moto.kill('SIGTERM');
    },
  };
}

/**
 * The set-up of a test file that syncs: moto behind the relay, a browser that trusts its
 * certificate, and the release build from the site root, for all the file's tests; moto is
 * reset before each test. Use as `const env = useBackendApp();` then `env.browser`,
 * `env.root.url`, `env.backend`.
 */
export function useBackendApp() {
  const env = { browser: null, root: null, backend: null };
  before(async () => {
    env.backend = await startBackend();
    env.browser = await launch([`--ignore-certificate-errors-spki-list=${env.backend.spki}`]);
    env.root = await serve(DIST, '/');
  });
  after(async () => {
    await env.browser?.close();
    await env.root?.close();
    await env.backend?.close();
  });
  beforeEach(async () => {
    await env.backend.rg('reset');
  });
  return env;
}

/** Through the side navigation, as a person moves: a reload would forget the credentials. */
export async function goVia(page, link, heading) {
  const nav = page.locator('#side-nav');
  const toggle = page.getByRole('button', { name: /navigation/i }).first();
  await toggle.waitFor();
  if (!(await nav.isVisible())) await toggle.click();
  await nav.getByRole('link', { name: link, exact: true }).click();
  await expectHeading(page, heading);
}

/** Settings → Backend: the test backend's URL, then the test credentials (memory only). */
export async function configureBackend(page, env) {
  await page.goto(env.root.url + 'groups');
  await goVia(page, 'Settings', 'Settings');
  await connectBackend(page, env);
}

/** The same on the Settings page already shown (no navigation: nothing is reloaded). */
export async function connectBackend(page, env) {
  await page.locator('#backend-kind-custom').check();
  await page.locator('#backend-url').fill(env.backend.url);
  await page.locator('#backend-save').click();
  await page.locator('#backend-current', { hasText: 'Sync is on with' }).waitFor();
  await page.locator('#cred-key-id').fill('AKIAIOSFODNN7EXAMPLE');
  await page.locator('#cred-secret').fill('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  await page.locator('#cred-sign-in').click();
  await page.locator('#cred-status').waitFor();
}

/** Settings → Sync now, then waits for the run to end (`#sync-status[data-runs]` rises). */
export async function syncNow(page) {
  if (!page.url().endsWith('/settings')) await goVia(page, 'Settings', 'Settings');
  const runs = Number(await page.locator('#sync-status').getAttribute('data-runs'));
  await page.locator('#sync-now:not([disabled])').click();
  await page.waitForFunction((r) => {
    const el = document.getElementById('sync-status');
    return Number(el?.dataset.runs) > r && el.textContent.startsWith('Idle.');
  }, runs, { timeout: 60000 });
}
