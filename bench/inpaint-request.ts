/**
 * inpaint_request_main_ms_p50: the main process's share of `inpaint_request_overhead_ms`
 * (issue 11, box → request sent, 1024², target ≤ 150 ms for the whole path), as the Edit tab
 * drives it: from the box's raw pixels handed over (`uploadPixels`, the RGBA init image and the
 * grey mask at once, answered before they are encoded) to the request wholly received by the
 * endpoint — `generate` waits for both encodings (the init image laid over grey), builds and
 * size-checks the JSON body, signs it and sends it over HTTP with the real SDK. The fake endpoint runs in this process. The page's
 * share (compositing the box and its mask in Chromium) is in the Edit tab's benchmark.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { defaultSettings } from '../src-shared/settings';
import { thumbnailsIdle } from '../src-main/core/library/thumbnails';
import { testCredentials } from '../test/fakes/keys';
import { startFakeSageMaker } from '../test/fakes/sagemaker-endpoint';
import { writeAwsProfiles } from '../test/support/aws-profile';
import { call } from '../test/support/core';
import { setLogSink } from '../src-main/core/log';
import { realisticPng } from './support/realistic-png';
import { webModeCore } from './support/web-core';

const size = 1024;
const runs = 15;

/** A soft-edged white disc on black, as the editor's feathered eraser leaves. */
const featheredMask = (): Promise<Buffer> =>
  sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="black"/>` +
        `<circle cx="600" cy="420" r="260" fill="white"/></svg>`,
    ),
  )
    .blur(12)
    .greyscale()
    .png()
    .toBuffer();

const main = async (): Promise<void> => {
  Object.assign(process.env, writeAwsProfiles({ default: testCredentials }));
  // Standard output is for the metric line; the core's warnings go to standard error.
  setLogSink((level, line) => {
    if (level !== 'info') process.stderr.write(`${line}\n`);
  });
  const fake = await startFakeSageMaker();
  const dataDir = mkdtempSync(join(tmpdir(), 'studio-bench-inpaint-'));
  const core = webModeCore(dataDir, {
    models: [{ modelId: 'sdxl', endpointName: 'bench-inpaint', modelName: '', format: 'stability' }],
    endpointOverrides: { ...defaultSettings().endpointOverrides, sagemakerRuntime: fake.url },
  });
  const upload = async (bytes: Buffer, channels: 1 | 4): Promise<string> =>
    (
      await call(core, 'uploadPixels', {
        bytes: new Uint8Array(bytes),
        width: size,
        height: size,
        channels,
        name: 'box.png',
      })
    ).id;
  // As the Edit tab hands them over: the box's composite as RGBA, the mask as one grey byte a pixel.
  const raw = async (png: Buffer, channels: 1 | 4): Promise<Buffer> =>
    (channels === 1 ? sharp(png).extractChannel(0) : sharp(png).ensureAlpha()).raw().toBuffer();
  const mask = await raw(await featheredMask(), 1);
  const times: number[] = [];
  let requestBytes = 0;
  for (let i = 0; i < runs; i++) {
    // A new box each time: nothing of it is cached.
    const init = await raw(realisticPng(size, i + 1), 4);
    await thumbnailsIdle();
    const sent = fake.invocations.length;
    const startedAt = Date.now();
    const [initId, maskId] = await Promise.all([upload(init, 4), upload(mask, 1)]);
    const done = core.dispatch('generate', {
      input: {
        prompt: 'bench',
        kind: 'inpaint',
        width: size,
        height: size,
        initImage: { kind: 'upload', id: initId },
        maskImage: { kind: 'upload', id: maskId },
      },
      count: 1,
    });
    await fake.waitFor(() => fake.invocations.length > sent, 60_000);
    times.push(fake.invocations[sent]!.receivedAt.getTime() - startedAt);
    requestBytes += fake.invocations[sent]?.bodyBytes ?? 0;
    const result = await done;
    if (!result.ok) throw new Error(`bench generation failed: ${result.error.message}`);
  }
  await thumbnailsIdle();
  core.close();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });

  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number => Number((sorted[Math.floor(sorted.length * q)] ?? NaN).toFixed(1));
  console.log(
    JSON.stringify({
      metric: 'inpaint_request_main_ms_p50',
      value: at(0.5),
      unit: 'ms',
      runs,
      width: size,
      height: size,
      mean_request_bytes: Math.round(requestBytes / runs),
      p90_ms: at(0.9),
      part_of: 'inpaint_request_overhead_ms (target 150 for the whole path)',
    }),
  );
};

void main();
