#!/usr/bin/env node
// Draws the scanner's PNG icons into public/icons (run: `pnpm --filter @spot/scanner icons`).
// No image library: the motif of public/icon.svg (viewfinder corners and a dot on the brand
// colour) is rasterised here with 4×4 supersampling and written as PNG with node:zlib.
//
//   icon-192.png, icon-512.png          purpose "any": rounded square, transparent corners
//   maskable-192.png, maskable-512.png  purpose "maskable": full bleed, motif inside the safe zone
//   apple-touch-icon.png (180)          full bleed (iOS rounds it)

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const BRAND = [0x43, 0x38, 0xca];
const WHITE = [0xff, 0xff, 0xff];
const SAMPLES = 4;

// The motif in the SVG's 32×32 units.
const STROKE = 2.2;
const CORNERS = [
  [
    [8, 12],
    [8, 8],
    [12, 8],
  ],
  [
    [20, 8],
    [24, 8],
    [24, 12],
  ],
  [
    [24, 20],
    [24, 24],
    [20, 24],
  ],
  [
    [12, 24],
    [8, 24],
    [8, 20],
  ],
];
const DOT = { x: 16, y: 16, r: 3.5 };
const RADIUS = 7;

function segmentDistance(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function inMotif(x, y) {
  if (Math.hypot(x - DOT.x, y - DOT.y) <= DOT.r) return true;
  for (const line of CORNERS) {
    for (let i = 0; i < line.length - 1; i += 1) {
      if (segmentDistance(x, y, line[i], line[i + 1]) <= STROKE / 2) return true;
    }
  }
  return false;
}

function inRoundedSquare(x, y) {
  const cx = Math.max(RADIUS, Math.min(32 - RADIUS, x));
  const cy = Math.max(RADIUS, Math.min(32 - RADIUS, y));
  return x >= 0 && x <= 32 && y >= 0 && y <= 32 && Math.hypot(x - cx, y - cy) <= RADIUS;
}

/** RGBA pixels. `scale` shrinks the motif towards the centre (maskable safe zone). */
function draw(size, { fullBleed, scale }) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let background = 0;
      let motif = 0;
      for (let sy = 0; sy < SAMPLES; sy += 1) {
        for (let sx = 0; sx < SAMPLES; sx += 1) {
          const x = ((px + (sx + 0.5) / SAMPLES) / size) * 32;
          const y = ((py + (sy + 0.5) / SAMPLES) / size) * 32;
          if (fullBleed || inRoundedSquare(x, y)) background += 1;
          if (inMotif(16 + (x - 16) / scale, 16 + (y - 16) / scale)) motif += 1;
        }
      }
      const total = SAMPLES * SAMPLES;
      const bgAlpha = background / total;
      const fgAlpha = Math.min(motif / total, bgAlpha);
      const alpha = bgAlpha;
      const offset = (py * size + px) * 4;
      for (let c = 0; c < 3; c += 1) {
        // White motif over the brand colour, both within the background's coverage.
        const value = alpha > 0 ? (BRAND[c] * (bgAlpha - fgAlpha) + WHITE[c] * fgAlpha) / alpha : 0;
        pixels[offset + c] = Math.round(value);
      }
      pixels[offset + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const ICONS = [
  { file: 'icon-192.png', size: 192, fullBleed: false, scale: 1 },
  { file: 'icon-512.png', size: 512, fullBleed: false, scale: 1 },
  // The maskable safe zone is the centre circle of 80% diameter: the motif (corners reach
  // 8..24 of 32 units, a diagonal of ~22.6) is scaled to 0.8 so it stays well inside.
  { file: 'maskable-192.png', size: 192, fullBleed: true, scale: 0.8 },
  { file: 'maskable-512.png', size: 512, fullBleed: true, scale: 0.8 },
  { file: 'apple-touch-icon.png', size: 180, fullBleed: true, scale: 0.9 },
];

mkdirSync(OUT, { recursive: true });
for (const icon of ICONS) {
  const data = png(icon.size, draw(icon.size, icon));
  writeFileSync(join(OUT, icon.file), data);
  console.log(`${icon.file} ${icon.size}×${icon.size} ${data.length} bytes`);
}
