// Draws the app icon from one list of shapes into resources/icon.svg and a 512×512
// resources/icon.png (no image tool needed: a small PNG writer over node:zlib). The picture is the
// README's default experiment: the three-component Gaussian mixture (means (4,4), (−4,4), (0,−4),
// areas ∝ weights 0.5, 0.3, 0.2) with a few samples around each mode.
// Run: node scripts/make-icon.mjs
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 512;
const CORNER = 96;
const BACKGROUND = '#0f172a';
const SAMPLE = '#f8fafc';
// Data coordinates x, y ∈ [−8, 8] to pixels, y up.
const px = (x) => SIZE / 2 + x * 24;
const py = (y) => SIZE / 2 - y * 24;
const MODES = [
  { mean: [4, 4], weight: 0.5, color: '#38bdf8' },
  { mean: [-4, 4], weight: 0.3, color: '#a78bfa' },
  { mean: [0, -4], weight: 0.2, color: '#f472b6' },
];

/** Circles, later ones drawn over earlier ones. */
const circles = MODES.flatMap(({ mean, weight, color }) => {
  const [cx, cy, r] = [px(mean[0]), py(mean[1]), 120 * Math.sqrt(weight)];
  const samples = Array.from({ length: 5 }, (_, k) => {
    const angle = (2 * Math.PI * k) / 5 + weight;
    return { cx: cx + (r + 22) * Math.cos(angle), cy: cy + (r + 22) * Math.sin(angle), r: 10, color: SAMPLE };
  });
  return [{ cx, cy, r, color }, ...samples];
});

function svg() {
  const shapes = circles.map((c) => `  <circle cx="${c.cx.toFixed(2)}" cy="${c.cy.toFixed(2)}" r="${c.r.toFixed(2)}" fill="${c.color}"/>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">`,
    '  <title>Scorebench</title>',
    `  <rect width="${SIZE}" height="${SIZE}" rx="${CORNER}" fill="${BACKGROUND}"/>`,
    ...shapes,
    '</svg>',
    '',
  ].join('\n');
}

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** The colour at (x, y), or null outside the rounded square. */
function colorAt(x, y) {
  // Distance outside the corner circle's centre box decides the rounded corners.
  const dx = Math.max(CORNER - x, x - (SIZE - CORNER), 0);
  const dy = Math.max(CORNER - y, y - (SIZE - CORNER), 0);
  if (dx * dx + dy * dy > CORNER * CORNER) return null;
  for (let i = circles.length - 1; i >= 0; i--) {
    const c = circles[i];
    if ((x - c.cx) ** 2 + (y - c.cy) ** 2 <= c.r * c.r) return c.color;
  }
  return BACKGROUND;
}

/** RGBA pixels, each the average of 4×4 samples (anti-aliased edges; alpha is the coverage). */
function raster() {
  const S = 4;
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const sum = [0, 0, 0, 0];
      for (let j = 0; j < S; j++)
        for (let i = 0; i < S; i++) {
          const color = colorAt(x + (i + 0.5) / S, y + (j + 0.5) / S);
          if (!color) continue;
          const [r, g, b] = rgb(color);
          sum[0] += r;
          sum[1] += g;
          sum[2] += b;
          sum[3] += 1;
        }
      const o = (y * SIZE + x) * 4;
      // Colour averaged over the covered samples (straight, not premultiplied, alpha).
      if (sum[3] > 0) for (let k = 0; k < 3; k++) pixels[o + k] = Math.round(sum[k] / sum[3]);
      pixels[o + 3] = Math.round((255 * sum[3]) / (S * S));
    }
  return pixels;
}

/** A PNG (https://www.w3.org/TR/png/): signature, IHDR (8-bit RGBA), one IDAT, IEND. */
function png(pixels) {
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, no filter method, no interlace
  // Each row starts with its filter type, 0 (none).
  const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
  for (let y = 0; y < SIZE; y++) pixels.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources');
writeFileSync(join(out, 'icon.svg'), svg());
writeFileSync(join(out, 'icon.png'), png(raster()));
console.log(`wrote ${join(out, 'icon.svg')} and ${join(out, 'icon.png')}`);
