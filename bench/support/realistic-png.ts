import { encodeRgbPng, seededRandom } from '../../test/fakes/png';

/**
 * A PNG about as large as a real SDXL render (~2 MB at 1024×1024): smooth colour plus grain,
 * which deflate cannot squeeze much, as it cannot squeeze a photo-like render.
 */
export const realisticPng = (size: number, seed: number): Buffer => {
  const rnd = seededRandom(seed);
  const rgb = Buffer.alloc(size * size * 3);
  for (let y = 0, p = 0; y < size; y++) {
    for (let x = 0; x < size; x++, p += 3) {
      const grain = (rnd() * 24) | 0;
      rgb[p] = ((x >> 2) + grain) & 0xff;
      rgb[p + 1] = ((y >> 2) + grain) & 0xff;
      rgb[p + 2] = ((x + y) >> 3) + grain;
    }
  }
  return encodeRgbPng(size, size, rgb);
};
