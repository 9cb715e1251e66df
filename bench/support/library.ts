import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { newId } from '../../src-main/core/library/ids';
import type { GenerationRecord } from '../../src-main/core/library/local-library';
import { encodeRgbPng, seededRandom } from '../../test/fakes/png';
import { recordFor } from '../../test/support/records';

const prompts = [
  'a castle on a hill at sunset, high detail',
  'a space station with astronauts, cinematic',
  'a cosmic swirl of stars and galaxies',
  'a red fox in fresh snow, photographic',
  'a lighthouse in a storm, oil painting',
];

/**
 * A local library of `count` generations of `perGeneration` 1024² images, as the app writes
 * it. One realistic PNG and its real thumbnail are hard-linked into every slot: listing and
 * serving cost the same, the disk does not fill up.
 */
export const makeLibrary = async (
  dataDir: string,
  count: number,
  perGeneration: number,
): Promise<{ records: GenerationRecord[]; thumb: Buffer }> => {
  mkdirSync(dataDir, { recursive: true });
  const rnd = seededRandom(7);
  const rgb = Buffer.alloc(1024 * 1024 * 3);
  for (let p = 0; p < rgb.length; p++) rgb[p] = ((p >> 6) + rnd() * 40) & 0xff;
  const pngPath = join(dataDir, 'source.png');
  writeFileSync(pngPath, encodeRgbPng(1024, 1024, rgb));
  const thumb = await sharp(pngPath).resize({ width: 320 }).webp({ quality: 65 }).toBuffer();
  const thumbPath = join(dataDir, 'source.thumb.webp');
  writeFileSync(thumbPath, thumb);

  const start = Date.parse('2026-01-01T00:00:00Z');
  const records: GenerationRecord[] = [];
  for (let i = 0; i < count; i++) {
    const time = start + i * 3_600_000;
    const id = newId(time);
    const folder = join(dataDir, 'generations', id);
    mkdirSync(folder, { recursive: true });
    const images = Array.from({ length: perGeneration }, (_, index) => {
      const imageId = newId(time);
      linkSync(pngPath, join(folder, `${imageId}.png`));
      linkSync(thumbPath, join(folder, `${imageId}.thumb.webp`));
      return {
        id: imageId,
        index,
        seed: i * 10 + index + 1,
        width: 1024,
        height: 1024,
        contentType: 'image/png' as const,
        file: `${imageId}.png`,
      };
    });
    const base = recordFor(id, `${prompts[i % prompts.length]} #${i}`, new Date(time));
    const record: GenerationRecord = {
      ...base,
      input: { ...base.input, negativePrompt: 'blurry' },
      count: perGeneration,
      endpointName: 'bench',
      images,
    };
    writeFileSync(join(folder, 'generation.json'), JSON.stringify(record));
    records.push(record);
  }
  return { records, thumb };
};
