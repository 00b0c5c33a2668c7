// A small W3C WebDriver client for the Firefox smoke test: geckodriver (installed by
// scripts/setup.sh, pinned) drives Debian's firefox-esr, headless. Playwright stays on
// Chromium (its Firefox needs a patched build from a CDN this project cannot reach), so the
// second browser is driven the standard way, over HTTP, with nothing but node's fetch.
//
// Only what the smoke test needs: a session, navigation, CSS lookups, clicks, typing, text,
// and scripts for the checks a selector cannot express. Every wait polls with a deadline and
// fails with what it was waiting for.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** The key WebDriver uses for an element reference in JSON. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export const GECKODRIVER = process.env.GECKODRIVER || `${process.env.HOME}/.cargo/bin/geckodriver`;
export const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';

async function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

export class Firefox {
  /** Starts geckodriver on a free local port and opens a headless Firefox session. */
  static async start() {
    const port = await freePort();
    const driver = spawn(GECKODRIVER, ['--host', '127.0.0.1', '--port', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    driver.stderr.on('data', (d) => { stderr += d; });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const r = await fetch(`${base}/status`);
        if ((await r.json()).value?.ready) break;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) {
        driver.kill();
        throw new Error(`geckodriver did not start: ${stderr}`);
      }
      await sleep(100);
    }
    const ff = new Firefox(base, driver);
    let session;
    try {
      session = await ff.cmd('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'firefox',
          'moz:firefoxOptions': {
            binary: FIREFOX,
            args: ['-headless', '-width', '1280', '-height', '900'],
            prefs: {
              'app.update.enabled': false,
              'browser.shell.checkDefaultBrowser': false,
              'datareporting.policy.dataSubmissionEnabled': false,
              'toolkit.telemetry.enabled': false,
              'network.captive-portal-service.enabled': false,
              'browser.safebrowsing.malware.enabled': false,
              'browser.safebrowsing.phishing.enabled': false,
            },
          },
        },
      },
      }, false);
    } catch (e) {
      driver.kill(); // else it outlives the test run
      throw e;
    }
    ff.session = `/session/${session.sessionId}`;
    ff.capabilities = session.capabilities;
    return ff;
  }

  constructor(base, driver) {
    this.base = base;
    this.driver = driver;
    this.session = '';
  }

  /** One WebDriver command; `value` of the answer, or an Error with WebDriver's message. */
  async cmd(method, path, body, inSession = true) {
    const url = this.base + (inSession ? this.session : '') + path;
    const r = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await r.json();
    if (json.value && json.value.error) {
      const e = new Error(`${method} ${path}: ${json.value.error}: ${json.value.message}`);
      e.code = json.value.error;
      throw e;
    }
    return json.value;
  }

  async quit() {
    try {
      if (this.session) await this.cmd('DELETE', '');
    } finally {
      this.driver.kill();
    }
  }

  go(url) {
    return this.cmd('POST', '/url', { url });
  }

  async url() {
    return this.cmd('GET', '/url');
  }

  refresh() {
    return this.cmd('POST', '/refresh', {});
  }

  /** Runs `script` (a function body; `arguments` holds `args`) in the page. */
  run(script, ...args) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /** The element `css` names, or null. */
  async find(css) {
    try {
      const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
      return v[ELEMENT];
    } catch (e) {
      if (e.code === 'no such element') return null;
      throw e;
    }
  }

  /** Polls `check` (async, truthy when done) until `ms` have passed; fails with `what`. */
  async waitUntil(what, check, ms = 15_000) {
    const deadline = Date.now() + ms;
    let last;
    for (;;) {
      try {
        const v = await check();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}${last ? ` (${last.message})` : ''}`);
      }
      await sleep(100);
    }
  }

  /** Waits for `css`, optionally with text matching `re`; its element id. */
  async waitFor(css, re) {
    return this.waitUntil(`${css}${re ? ` matching ${re}` : ''}`, async () => {
      const id = await this.find(css);
      if (!id) return null;
      if (re && !re.test(await this.text(id))) return null;
      return id;
    });
  }

  text(id) {
    return this.cmd('GET', `/element/${id}/text`);
  }

  click(id) {
    return this.cmd('POST', `/element/${id}/click`, {});
  }

  /** Clears the field, then types `text` as keystrokes (input events fire as for a person). */
  async type(id, text) {
    await this.cmd('POST', `/element/${id}/clear`, {});
    return this.cmd('POST', `/element/${id}/value`, { text });
  }

  /** The heading the app shows for the page (h1#page-title). */
  async heading() {
    const id = await this.find('h1#page-title');
    return id ? (await this.text(id)).trim() : '';
  }

  async waitForHeading(title) {
    return this.waitUntil(`the heading "${title}"`, async () => (await this.heading()) === title);
  }
}
