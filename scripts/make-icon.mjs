#!/usr/bin/env node
// Draws the app icon: a light hexagon on a violet rounded square.
// With no arguments, resources/icon.png (512×512, committed; the window and notifications use it).
// `--size N --out FILE` draws it at another size: `npm run dist` draws build/icon.png at 1024×1024,
// from which electron-builder makes each platform's icons (icns, ico, Linux sizes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';

const { values } = parseArgs({ options: { size: { type: 'string', default: '512' }, out: { type: 'string' } } });
const S = Number(values.size);
if (!Number.isInteger(S) || S < 16 || S > 4096) throw new Error(`--size must be 16…4096, not ${values.size}`);
const out = values.out ? resolve(values.out) : join(import.meta.dirname, '..', 'resources', 'icon.png');
// The geometry is drawn for 512 px and scaled.
const k = S / 512;
const png = new PNG({ width: S, height: S });
const inRoundedSquare = (x, y, r = 96 * k, m = 16 * k) => {
  const cx = Math.min(Math.max(x, m + r), S - m - r);
  const cy = Math.min(Math.max(y, m + r), S - m - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= m && x < S - m && y >= m && y < S - m;
};
// Pointy-top regular hexagon centred in the icon.
const inHexagon = (x, y, R = 150 * k) => {
  const dx = Math.abs(x - S / 2);
  const dy = Math.abs(y - S / 2);
  return dx <= (R * Math.sqrt(3)) / 2 && dy <= R - dx / Math.sqrt(3);
};
const samples = 4;
for (let y = 0; y < S; y++) {
  for (let x = 0; x < S; x++) {
    let bg = 0;
    let hex = 0;
    for (let sy = 0; sy < samples; sy++)
      for (let sx = 0; sx < samples; sx++) {
        const px = x + (sx + 0.5) / samples;
        const py = y + (sy + 0.5) / samples;
        if (inRoundedSquare(px, py)) bg++;
        if (inHexagon(px, py)) hex++;
      }
    const n = samples * samples;
    const t = (x + y) / (2 * S);
    // Violet gradient background, near-white hexagon.
    const base = [Math.round(124 - 40 * t), Math.round(77 - 30 * t), 255 - Math.round(40 * t)];
    const a = hex / n;
    const i = (y * S + x) * 4;
    png.data[i] = Math.round(base[0] * (1 - a) + 240 * a);
    png.data[i + 1] = Math.round(base[1] * (1 - a) + 238 * a);
    png.data[i + 2] = Math.round(base[2] * (1 - a) + 250 * a);
    png.data[i + 3] = Math.round((255 * bg) / n);
  }
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, PNG.sync.write(png));
