// Size report (a benchmark, not a test): builds the release and prints the raw, gzip and brotli
// sizes of what a first visit downloads — index.html, the boot loader, the JS glue, the wasm
// module and the CSS — with the total.
//
// Usage: node scripts/size-report.mjs [--no-build] [--dir dist]

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';

const args = process.argv.slice(2);
const dir = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : 'dist';
if (!args.includes('--no-build')) {
  execFileSync('scripts/build.sh', ['--out', dir], { stdio: ['ignore', 'inherit', 'inherit'] });
}

const html = readFileSync(join(dir, 'index.html'), 'utf8');
// What the page loads on a first visit: index.html plus every local file it references
// (stylesheets, module preloads, the boot script, the wasm preload, the icon).
const referenced = new Set(['index.html']);
for (const m of html.matchAll(/\b(?:href|src)="([^"#?]+)"/g)) {
  if (!m[1].includes('://') && !m[1].startsWith('/')) referenced.add(m[1]);
}
const files = readdirSync(dir).filter((f) => referenced.has(f));

const kind = (f) => (f.endsWith('.wasm') ? 'wasm' : f.endsWith('.js') ? 'js' : f.endsWith('.css') ? 'css' : f.endsWith('.html') ? 'html' : 'other');
const rows = files.map((f) => {
  const body = readFileSync(join(dir, f));
  return {
    file: f,
    kind: kind(f),
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
});
rows.sort((a, b) => b.raw - a.raw);

const kb = (n) => (n / 1024).toFixed(1).padStart(8) + ' KiB';
const line = (name, r) => console.log(`${name.padEnd(44)} ${kb(r.raw)} ${kb(r.gzip)} ${kb(r.brotli)}`);
console.log(`\n${'file (first visit)'.padEnd(44)} ${'raw'.padStart(12)} ${'gzip'.padStart(12)} ${'brotli'.padStart(12)}`);
for (const r of rows) line(r.file, r);
const sum = (list) => list.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
console.log('-'.repeat(84));
for (const k of ['wasm', 'js', 'css', 'html', 'other']) {
  const part = rows.filter((r) => r.kind === k);
  if (part.length) line(`  all ${k}`, sum(part));
}
line('total', sum(rows));
