// Writes the service worker's list of files (see public/sw.js) for a built dist/: every file
// in it, sub-folders included, but the worker itself, 404.html (a copy of index.html that
// only hosts serve) and the precompressed `.br` copies, relative to the folder so the list holds at the root and under a sub-path.
// The version is a hash of every file's name and bytes: any change to the build, and only a
// change, makes a new sw.js, which is what tells browsers a release is out. When the bundle is
// split into chunks later, each chunk is a file here like any other, so it is precached too.
//
// scripts/postbuild.mjs calls it; the e2e tests call it again after changing a served dist/
// (a "new release" without a rebuild).
//   node scripts/precache.mjs --dir dist
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const MARKERS = /\/\* build \*\/[\s\S]*?\/\* \/build \*\//;

function walk(dir, root = dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, root, out);
    else out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

export function writePrecache(dir) {
  const swPath = join(dir, 'sw.js');
  const sw = readFileSync(swPath, 'utf8');
  if (!MARKERS.test(sw)) throw new Error(`${swPath} has no /* build */ … /* /build */ markers`);
  // Not the precompressed `.br` copies either: they are the host's, not the page's.
  const files = walk(dir).filter((f) => f !== 'sw.js' && f !== '404.html' && !f.endsWith('.br'));
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(f + '\0');
    hash.update(createHash('sha256').update(readFileSync(join(dir, f))).digest());
  }
  const version = hash.digest('hex').slice(0, 16);
  const build = JSON.stringify({ version, files });
  writeFileSync(swPath, sw.replace(MARKERS, `/* build */ ${build} /* /build */`));
  return { version, files };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--dir');
  const dir = i >= 0 ? process.argv[i + 1] : 'dist';
  const { version, files } = writePrecache(dir);
  console.log(`precache: ${files.length} files, version ${version}`);
}
