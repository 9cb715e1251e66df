/**
 * image_overhead_ms_p50: the app-side cost of one 1024×1024 image, from the endpoint's
 * response bytes to the image stored and servable — the same code the Studio runs:
 * decode the stability answer (JSON + base64, once), write the PNG atomically,
 * update generation.json, resolve the image as the image route does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stabilityCodec } from '../src-main/core/inference/stability';
import { newId } from '../src-main/core/library/ids';
import { LocalLibrary } from '../src-main/core/library/local-library';
import type { GenerationRecord } from '../src-main/core/library/local-library';
import { parseImagePath } from '../src-main/core/policy';
import { realisticPng } from './support/realistic-png';

const size = 1024;
const runs = 30;

const main = async (): Promise<void> => {
  const root = mkdtempSync(join(tmpdir(), 'studio-bench-'));
  const library = new LocalLibrary(root);
  const bodies = Array.from({ length: runs }, (_, i) => {
    const png = realisticPng(size, i + 1);
    return Buffer.from(
      JSON.stringify({ artifacts: [{ base64: png.toString('base64'), seed: i + 1, finishReason: 'SUCCESS' }] }),
    );
  });
  const generationId = newId();
  const record: GenerationRecord = {
    version: 1,
    id: generationId,
    createdAt: new Date().toISOString(),
    input: {
      prompt: 'bench',
      negativePrompt: '',
      modelId: 'm',
      sampler: '',
      stylePreset: '',
      cfgScale: 7,
      steps: 30,
      seed: 0,
      width: size,
      height: size,
      imageStrength: 0.35,
    },
    count: runs,
    modelId: 'm',
    endpointName: 'e',
    status: 'running',
    images: [],
    failures: [],
  };
  await library.save(record);

  const times: number[] = [];
  let pngBytes = 0;
  for (const [index, body] of bodies.entries()) {
    const start = performance.now();
    const [artifact] = stabilityCodec.decode(body, 'application/json');
    if (!artifact?.bytes) throw new Error('bench: no image decoded');
    const imageId = newId();
    const file = await library.writeImage(generationId, imageId, artifact.contentType, artifact.bytes);
    record.images.push({
      id: imageId,
      index,
      seed: artifact.seed ?? index,
      width: size,
      height: size,
      contentType: artifact.contentType,
      file,
    });
    await library.save(record);
    const route = parseImagePath(`/${generationId}/${file}`);
    if (!route || !library.imagePath(route.generationId, `${route.imageId}.${route.variant}`))
      throw new Error('bench: image not servable');
    times.push(performance.now() - start);
    pngBytes += artifact.bytes.length;
  }
  rmSync(root, { recursive: true, force: true });

  // The first runs warm up the JIT and the file system; the median is over all of them regardless.
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  console.log(
    JSON.stringify({
      metric: 'image_overhead_ms_p50',
      value: Number(median.toFixed(2)),
      unit: 'ms',
      images: runs,
      width: size,
      height: size,
      mean_png_bytes: Math.round(pngBytes / runs),
      p90_ms: Number((sorted[Math.floor(sorted.length * 0.9)] ?? NaN).toFixed(2)),
      target: 30,
    }),
  );
};

void main();
