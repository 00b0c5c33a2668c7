// The release build, split: the app's wasm is cut into a main module (the shell and the groups
// list, what a first visit needs) and chunks loaded on demand (every other page; see
// src/ui/lazy.rs), and written into Trunk's output folder the way Trunk writes an unsplit app,
// so scripts/postbuild.mjs turns both into the files we ship.
//
// Trunk 0.21 runs cargo, wasm-bindgen and wasm-opt in one go and cannot split in between, so
// Trunk builds the HTML, CSS and assets only (its rust link marked data-trunk-skip) and this
// script does the wasm:
//   1. cargo build --release with `--cfg gc_split` (the split markers) and `--emit-relocs`
//      (wasm-split needs the relocations to move functions and their data between modules);
//   2. wasm-split-cli (crate wasm_split_cli_support): the main module, one module per split
//      point and shared chunks, and `__wasm_split.js`, the loader the main module imports;
//   3. wasm-bindgen on the main module (`--keep-lld-exports`: the chunks link against exports
//      the main module would otherwise drop);
//   4. wasm-opt -Oz on every piece;
//   5. content-hashed names: each chunk by its own bytes; the main module, its JS and the
//      loader import each other, so they share one hash of all three;
//   6. the same loader Trunk injects (`import init …; await init({ module_or_path })`) and the
//      preloads of the main module, for postbuild.mjs to move into a file.
//
// Usage: node scripts/build-split.mjs [--dist target/trunk-dist]
// Expects the tools scripts/setup.sh installs (trunk, wasm-split-cli, wasm-bindgen on PATH,
// wasm-opt from node_modules).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const dist = args.includes('--dist') ? args[args.indexOf('--dist') + 1] : 'target/trunk-dist';
const NAME = 'group-console';
const work = 'target/split';
const run = (cmd, argv, env) => execFileSync(cmd, argv, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
const fail = (message) => {
  console.error(`build-split: ${message}`);
  process.exit(1);
};

// --- Trunk: HTML, CSS, assets ------------------------------------------------------------------
// The rust link gets `data-trunk-skip` (without any rust link Trunk would build the crate on its
// own, unsplit).
const source = readFileSync('index.html', 'utf8');
const rustLink = '<link data-trunk rel="rust"';
if (!source.includes(rustLink)) fail('index.html has no <link data-trunk rel="rust" …/> to skip');
// Beside index.html, so its relative hrefs (style/, public/) resolve the same.
const shell = '.index-split.html';
writeFileSync(shell, source.replace(rustLink, `${rustLink} data-trunk-skip`));
try {
  run('trunk', ['--skip-version-check', 'build', '--release', '--dist', dist, '--public-url', '/', shell]);
} finally {
  rmSync(shell, { force: true });
}

// --- 1. cargo ----------------------------------------------------------------------------------
// An outer RUSTFLAGS (build.sh's erase_components) is kept and added to.
//
// std is rebuilt with the app (`-Zbuild-std`, from the toolchain's rust-src component) with
// `-Cpanic=immediate-abort`: a panic becomes a bare trap, so none of the panic machinery ships
// (the formatting of messages and locations, the hook, the location strings in the data).
// Measured on this app: main module 333.3 -> 311.5 KiB brotli (1,036.7 -> 961.9 KiB raw), first
// visit 360.5 -> 339.5 KiB. The notice a panic shows comes from the boot script's
// trap listener (scripts/postbuild.mjs). Both flags are unstable: RUSTC_BOOTSTRAP lets the
// pinned stable toolchain take them, for this one command (host build scripts and proc-macros
// get no RUSTFLAGS when a --target is given, so they build as usual). std's own dependencies
// come from crates.io like ours, locked by the rust-src Cargo.lock.
// GC_PANIC=abort builds the plain way (std as shipped), to measure the difference.
const immediate = process.env.GC_PANIC !== 'abort';
const rustflags = [process.env.RUSTFLAGS, '--cfg gc_split', '-Clink-args=--emit-relocs',
  ...(immediate ? ['-Zunstable-options', '-Cpanic=immediate-abort'] : [])].filter(Boolean).join(' ');
run('cargo', ['build', '--release', '--locked', '--target', 'wasm32-unknown-unknown', '--bin', NAME,
  ...(immediate ? ['-Zbuild-std=std,panic_abort'] : [])],
{ RUSTFLAGS: rustflags, ...(immediate ? { RUSTC_BOOTSTRAP: '1' } : {}) });
const input = `target/wasm32-unknown-unknown/release/${NAME}.wasm`;

// --- 2. split ----------------------------------------------------------------------------------
rmSync(work, { recursive: true, force: true });
mkdirSync(`${work}/split`, { recursive: true });
run('wasm-split-cli', [input, `${work}/split`, '--target', 'web', '--out-name', NAME]);

// --- 3. wasm-bindgen on the main module --------------------------------------------------------
mkdirSync(`${work}/out`, { recursive: true });
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--keep-lld-exports', '--out-dir', `${work}/out`, '--out-name', NAME, `${work}/split/${NAME}.wasm`]);

// --- 4. wasm-opt on every piece ----------------------------------------------------------------
// The features rustc enables for wasm32 by default; the chunks carry no target_features
// section for wasm-opt to read them from.
const features = ['bulk-memory', 'bulk-memory-opt', 'call-indirect-overlong', 'multivalue', 'mutable-globals',
  'nontrapping-float-to-int', 'reference-types', 'sign-ext'].map((f) => `--enable-${f}`);
const pieces = readdirSync(`${work}/split`).filter((f) => f.endsWith('.wasm') && f !== `${NAME}.wasm`);
const opt = (from, to) => run('wasm-opt', ['-Oz', ...features, from, '-o', to]);
opt(`${work}/out/${NAME}_bg.wasm`, `${work}/out/${NAME}_bg.wasm`);
for (const piece of pieces) opt(`${work}/split/${piece}`, `${work}/out/${piece}`);

// --- 5. content-hashed names -------------------------------------------------------------------
const hash = (...bodies) => {
  const h = createHash('sha256');
  for (const b of bodies) h.update(b);
  return h.digest('hex').slice(0, 16);
};
let loader = readFileSync(`${work}/split/__wasm_split.js`, 'utf8');
let glue = readFileSync(`${work}/out/${NAME}.js`, 'utf8');
const main = readFileSync(`${work}/out/${NAME}_bg.wasm`);
const replaceOnce = (text, from, to, what) => {
  const n = text.split(from).length - 1;
  if (n < 1) fail(`${what}: ${from} not found`);
  return text.split(from).join(to);
};
const written = [];
for (const piece of pieces) {
  const body = readFileSync(`${work}/out/${piece}`);
  const hashed = `${piece.replace(/\.wasm$/, '')}-${hash(body)}.wasm`;
  loader = replaceOnce(loader, `"./${piece}"`, `"./${hashed}"`, '__wasm_split.js');
  writeFileSync(join(dist, hashed), body);
  written.push(hashed);
}
const shared = hash(main, glue, loader);
const names = { js: `${NAME}-${shared}.js`, wasm: `${NAME}-${shared}_bg.wasm`, loader: `__wasm_split-${shared}.js` };
loader = replaceOnce(loader, `"./${NAME}.js"`, `"./${names.js}"`, '__wasm_split.js');
// The glue imports the loader under the module name the wasm uses; only the file name changes.
const loaderImport = /from (["'])\.\/__wasm_split\.js\1/g;
if (!loaderImport.test(glue)) fail(`${NAME}.js does not import __wasm_split.js`);
glue = glue.replace(loaderImport, `from "./${names.loader}"`);
writeFileSync(join(dist, names.js), glue);
writeFileSync(join(dist, names.loader), loader);
writeFileSync(join(dist, names.wasm), main);
// wasm-bindgen's inline JS (`#[wasm_bindgen(inline_js)]`), imported by the glue by path.
cpSync(`${work}/out/snippets`, join(dist, 'snippets'), { recursive: true });

// --- 6. the loader in the page -----------------------------------------------------------------
let html = readFileSync(join(dist, 'index.html'), 'utf8');
const inject = `<link rel="modulepreload" href="/${names.js}" crossorigin="anonymous">` +
  `<link rel="modulepreload" href="/${names.loader}" crossorigin="anonymous">` +
  `<link rel="preload" href="/${names.wasm}" crossorigin="anonymous" as="fetch" type="application/wasm">` +
  `<script type="module">import init from '/${names.js}';\nconst wasm = await init({ module_or_path: '/${names.wasm}' });\n</script>`;
if (!html.includes('</head>')) fail('Trunk output has no </head>');
html = html.replace('</head>', `${inject}</head>`);
writeFileSync(join(dist, 'index.html'), html);

const kib = (f) => (statSync(join(dist, f)).size / 1024).toFixed(1);
console.log(`build-split: main ${names.wasm} (${kib(names.wasm)} KiB raw), ${written.length} chunks:`);
for (const f of written.sort()) console.log(`  ${f} ${kib(f)} KiB`);
