// A small static file server that behaves like a CDN in front of dist/:
// - serves the files under a mount path (`/` or a sub-path such as `/console/`);
// - answers any other path under the mount with index.html (the "SPA fallback"), so that a
//   deep link reloaded in the browser still boots the app;
// - sends `application/wasm` for .wasm, and brotli or gzip when the browser accepts it: the
//   build's precompressed `X.br` when there is one (quality 11, as a host with brotli_static
//   sends it), else compressed here at quality 9;
// - optionally sends the security headers README "Hosting on a CDN" recommends (--csp-header):
//   the Content-Security-Policy as a header too, with frame-ancestors 'none', and HSTS, COOP,
//   CORP, Permissions-Policy, Referrer-Policy and X-Frame-Options. Without it, only nosniff, so
//   that a test can see what the page itself does when a host sends no headers (e.g. framed).
// It binds to 127.0.0.1 only.
//
// Usage: node scripts/static-server.mjs --dir dist [--mount /console/] [--port 8080] [--csp-header]
// As a module: `startServer({ dir, mount, port })` resolves to { server, url }. With
// `cspReports: []` it also sends the page's policy as Content-Security-Policy-Report-Only with
// a report-uri it answers itself, and pushes every report body into that array.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.svg', '.json', '.webmanifest', '.txt']);

// The recommended set (README "Hosting on a CDN"). HSTS is ignored by browsers over plain HTTP,
// so sending it from 127.0.0.1 is harmless.
const SECURITY_HEADERS = {
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
const DOCUMENT_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': [
    'accelerometer', 'autoplay', 'camera', 'display-capture', 'encrypted-media',
    'fullscreen', 'geolocation', 'gyroscope', 'hid', 'idle-detection', 'magnetometer',
    'microphone', 'midi', 'payment', 'picture-in-picture', 'publickey-credentials-get',
    'screen-wake-lock', 'serial', 'usb', 'xr-spatial-tracking',
  ].map((f) => `${f}=()`).join(', '),
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** Reads the CSP that the build wrote into index.html, to send it as a header as well. */
function cspFromHtml(html) {
  const m = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i);
  return m ? m[1] : null;
}

export async function startServer({ dir, mount = '/', port = 0, cspHeader = false, cspReports = null, log = false }) {
  const root = resolve(dir);
  if (!mount.startsWith('/')) mount = '/' + mount;
  if (!mount.endsWith('/')) mount += '/';
  const cache = new Map();

  async function load(file) {
    const info = await stat(file);
    const hit = cache.get(file);
    if (hit && hit.mtime === info.mtimeMs) return hit;
    const body = await readFile(file);
    const ext = extname(file);
    const entry = { body, mtime: info.mtimeMs, ext };
    // Compressed on first use (a precompressed copy may make it unneeded), then kept.
    entry.compressible = COMPRESSIBLE.has(ext);
    cache.set(file, entry);
    return entry;
  }

  async function precompressed(file, entry) {
    try {
      const info = await stat(file + '.br');
      if (info.mtimeMs < entry.mtime) return null;
      if (entry.pre?.mtime !== info.mtimeMs) entry.pre = { mtime: info.mtimeMs, body: await readFile(file + '.br') };
      return entry.pre.body;
    } catch {
      return null;
    }
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      let path = decodeURIComponent(url.pathname);
      // Violation reports of the Report-Only copy of the policy (below), for tests that drive
      // a browser without a way to hear its console (Firefox over WebDriver).
      if (cspReports && req.method === 'POST' && path === mount + '__csp-report') {
        let body = '';
        for await (const chunk of req) body += chunk;
        cspReports.push(body);
        res.writeHead(204);
        return res.end();
      }
      if (path + '/' === mount) {
        res.writeHead(301, { Location: mount });
        return res.end();
      }
      if (!path.startsWith(mount)) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        return res.end('Not found (outside the mount path)');
      }
      const rel = normalize(path.slice(mount.length));
      let file = join(root, rel);
      if (!(file + sep).startsWith(root + sep) && file !== root) {
        res.writeHead(403);
        return res.end();
      }
      let fallback = false;
      try {
        const info = await stat(file);
        if (info.isDirectory()) file = join(file, 'index.html');
        await stat(file);
      } catch {
        // Files with an extension that do not exist are real 404s; everything else is a route.
        if (extname(rel) && extname(rel) !== '.html') {
          res.writeHead(404, { 'Content-Type': 'text/plain' });
          return res.end('Not found');
        }
        file = join(root, 'index.html');
        fallback = true;
      }
      const entry = await load(file);
      const headers = {
        'Content-Type': TYPES[entry.ext] || 'application/octet-stream',
        'X-Content-Type-Options': 'nosniff',
        Vary: 'Accept-Encoding',
        // Content-hashed file names can be cached for ever; everything else (index.html, the
        // service worker, the manifest, icons) must be re-checked, or a release goes unseen.
        'Cache-Control': /[-_][0-9a-f]{12,}[._]/.test(file.split(sep).pop())
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      };
      if (cspReports && entry.ext === '.html') {
        // The page's own policy again, report-only: the browser enforces the meta tag and
        // reports to us whatever that policy blocks, from the first byte of the page on.
        const csp = cspFromHtml(entry.body.toString('utf8'));
        if (csp) headers['Content-Security-Policy-Report-Only'] = `${csp}; report-uri ${mount}__csp-report`;
      }
      if (cspHeader) {
        Object.assign(headers, SECURITY_HEADERS);
        if (entry.ext === '.html') {
          const csp = cspFromHtml(entry.body.toString('utf8'));
          if (csp) headers['Content-Security-Policy'] = csp + "; frame-ancestors 'none'";
          Object.assign(headers, DOCUMENT_HEADERS);
        }
      }
      const accept = String(req.headers['accept-encoding'] || '');
      let body = entry.body;
      // A precompressed copy the build wrote (scripts/postbuild.mjs), as hosts with
      // `brotli_static` serve it; never one older than the file (a stale copy).
      const pre = /\bbr\b/.test(accept) && entry.compressible ? await precompressed(file, entry) : null;
      if (pre) {
        body = pre;
        headers['Content-Encoding'] = 'br';
      } else if (entry.compressible && /\bbr\b/.test(accept)) {
        entry.br ??= brotliCompressSync(entry.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } });
        body = entry.br;
        headers['Content-Encoding'] = 'br';
      } else if (entry.compressible && /\bgzip\b/.test(accept)) {
        entry.gz ??= gzipSync(entry.body, { level: 9 });
        body = entry.gz;
        headers['Content-Encoding'] = 'gzip';
      }
      headers['Content-Length'] = body.length;
      if (log) console.log(`${req.method} ${req.url} -> ${fallback ? 'index.html (fallback)' : rel}`);
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Server error');
      console.error('static-server:', err.message);
    }
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const { port: actual } = server.address();
  return { server, url: `http://127.0.0.1:${actual}${mount}` };
}

// Command line use.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const { url } = await startServer({
    dir: opt('--dir', 'dist'),
    mount: opt('--mount', '/'),
    port: Number(opt('--port', '8080')),
    cspHeader: args.includes('--csp-header'),
    log: args.includes('--log'),
  });
  console.log(`Group Console is served at ${url} (Ctrl+C stops it)`);
}
