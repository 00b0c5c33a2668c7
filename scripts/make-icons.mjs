// Draws the app's PNG icons (public/icons/icon-192.png, icon-512.png, maskable-512.png) with
// nothing but Node: four tiles (a group of resources) on the console's blue. Run once when the
// design changes; the PNGs are committed. Browsers' install criteria want PNG icons of at least
// 144 px, and a maskable one keeps its drawing inside the safe zone (the middle 80 %).
//   node scripts/make-icons.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const BLUE = [0x00, 0x6c, 0xe0];
const WHITE = [0xff, 0xff, 0xff];

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

// `inset`: the fraction of the side left around the drawing; `radius`: the background's corner
// radius as a fraction of the side (0 for a full-bleed maskable icon).
function icon(size, inset, radius) {
  const rgba = Buffer.alloc(size * size * 4);
  const r = radius * size;
  const inside = (x, y) => {
    const cx = Math.min(Math.max(x, r), size - r);
    const cy = Math.min(Math.max(y, r), size - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  const lo = inset * size;
  const span = size - 2 * lo;
  const gap = span * 0.12;
  const tile = (span - gap) / 2;
  const onTile = (x, y) => {
    const tx = x - lo, ty = y - lo;
    if (tx < 0 || ty < 0 || tx >= span || ty >= span) return false;
    const inX = tx < tile || tx >= tile + gap;
    const inY = ty < tile || ty >= tile + gap;
    return inX && inY;
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      if (!inside(x + 0.5, y + 0.5)) continue; // transparent corner
      const c = onTile(x + 0.5, y + 0.5) ? WHITE : BLUE;
      rgba[i] = c[0]; rgba[i + 1] = c[1]; rgba[i + 2] = c[2]; rgba[i + 3] = 0xff;
    }
  }
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync('public/icons/icon-192.png', icon(192, 0.22, 0.18));
writeFileSync('public/icons/icon-512.png', icon(512, 0.22, 0.18));
writeFileSync('public/icons/maskable-512.png', icon(512, 0.3, 0));
console.log('icons written to public/icons/');
