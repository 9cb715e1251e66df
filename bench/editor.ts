/**
 * The Edit tab's benchmarks (issue 11), in Chromium against web mode with the built app:
 * - editor_stroke_ms_p95: with ten 1024² image layers on screen, from a pointer move (dispatched
 *   where Chromium dispatches real ones: at the start of a frame) to the frame that shows the
 *   stroke reaching it. A Konva layer drawn inside a frame's callbacks is on screen when they end;
 *   one drawn outside them waits for the next frame. p95 over 300 moves (eraser, brush, eraser).
 * - editor_heap_mb_20_layers: the page's JS heap (CDP Performance metrics, after a GC) with twenty
 *   1024² layers loaded and drawn.
 * - inpaint_request_overhead_ms: a 1024² box with an erased region, from the click on Dream to the
 *   request wholly received by the endpoint (its last byte, before the fake checks it): the page's
 *   share (compositing the box, the mask, handing both over as raw pixels) and the main process's
 *   (PNG encoding, keeping, the generate call, signing, sending) measured as one, p50 of 9 after
 *   two warm-up Dreams.
 *   renderer_ms_p50 ends when both raw uploads are answered. The fake endpoint runs in this process.
 * The app is built first when there is no build or a source is newer than it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { BrowserContext, Page } from '@playwright/test';
import { ulid } from 'ulid';
import { startServer } from '../src-main/server/server';
import { setLogSink } from '../src-main/core/log';
import { defaultSettings } from '../src-shared/settings';
import type { EditorDocument, EditorImageLayer } from '../src-shared/editor';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { testCredentials } from '../test/fakes/keys';
import { startFakeSageMaker } from '../test/fakes/sagemaker-endpoint';
import { writeAwsProfiles } from '../test/support/aws-profile';
import { call } from '../test/support/core';
import { realisticPng } from './support/realistic-png';
import { webModeCore } from './support/web-core';
import { ensureBuilt, rendererDir } from './support/build';

const size = 1024;

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN).toFixed(1));
};

// Page-side code is passed as source text: tsx would otherwise wrap it in helpers the page lacks.

/** Before the app loads: counts how deep the page is in animation-frame callbacks. */
const frameDepthSource = `(() => {
  window.__frameDepth = 0;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) =>
    raf((time) => {
      window.__frameDepth++;
      try { callback(time); } finally { window.__frameDepth--; }
    });
})()`;

/** Whether every Konva image on the stage has its image element, and how many there are. */
const imagesReadySource = `(() => {
  const stage = window.Konva?.stages?.[0];
  if (!stage) return -1;
  const images = stage.find('Image');
  return images.every((n) => n.image() && n.image().complete) ? images.length : -1;
})()`;

/**
 * Draws strokes with synthetic pointer events on the stage and times each move to the frame
 * that shows it. Each move is dispatched inside a frame's callbacks (where Chromium dispatches
 * real ones, just before the animation frames); frames then pass until two in a row draw no
 * Konva layer. The last draw shows in its own frame if drawn inside that frame's callbacks, else
 * in the next one; a frame counts as shown once its rendering is done (a message posted from its
 * callback runs after it: style, layout, paint and the canvases' rasterising included).
 */
const strokeTimesSource = (strokes: { x: number; y: number }[][]): string => `(async () => {
  const strokes = ${JSON.stringify(strokes)};
  const stage = window.Konva.stages[0];
  const target = stage.content;
  const rect = target.getBoundingClientRect();
  let draws = [];
  for (const layer of stage.getLayers())
    layer.on('draw.bench', () => draws.push({ at: performance.now(), inFrame: window.__frameDepth > 0 }));
  const frame = (work) => new Promise((resolve) => requestAnimationFrame(() => {
    const start = performance.now();
    work?.();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve({ start, rendered: performance.now() });
    channel.port2.postMessage(0);
  }));
  const send = (type, p) =>
    target.dispatchEvent(new PointerEvent(type, {
      bubbles: true, cancelable: true, pointerId: 1, pointerType: 'mouse', isPrimary: true,
      button: type === 'pointermove' ? -1 : 0, buttons: type === 'pointerup' ? 0 : 1,
      clientX: rect.left + p.x, clientY: rect.top + p.y,
    }));
  const settle = async (first) => {
    const frames = first ? [first] : [];
    let quiet = 0;
    let seen = draws.length;
    while (quiet < 2 && frames.length < 120) {
      frames.push(await frame());
      if (draws.length > seen) { seen = draws.length; quiet = 0; } else quiet++;
    }
    return frames;
  };
  const times = [];
  for (const points of strokes) {
    await settle(await frame(() => send('pointerdown', points[0])));
    for (const p of points.slice(1)) {
      const moved = await frame(() => { draws = []; send('pointermove', p); });
      const frames = await settle(moved);
      const last = draws[draws.length - 1];
      if (!last) { times.push(-1); continue; }
      const shown = last.inFrame
        ? frames.filter((f) => f.start <= last.at).pop()
        : frames.find((f) => f.start > last.at);
      times.push((shown?.rendered ?? NaN) - moved.start);
    }
    await settle(await frame(() => send('pointerup', points[points.length - 1])));
  }
  for (const layer of stage.getLayers()) layer.off('draw.bench');
  return times;
})()`;

/** A wavy stroke across the rectangle (stage pixels), `moves` points after the first. */
const wave = (left: number, top: number, width: number, height: number, moves: number, phase: number) =>
  Array.from({ length: moves + 1 }, (_, i) => ({
    x: Math.round(left + (width * i) / moves),
    y: Math.round(top + height / 2 + (height / 2) * Math.sin(phase + (i / moves) * Math.PI * 6)),
  }));

const layerAt = (imageId: string, i: number, x: number, y: number): EditorImageLayer => ({
  id: ulid(),
  kind: 'image',
  name: `Layer ${i + 1}`,
  imageId,
  width: size,
  height: size,
  x,
  y,
  scaleX: 1,
  scaleY: 1,
  visible: true,
  locked: false,
});

const openEditor = async (context: BrowserContext, url: string, layers: number): Promise<Page> => {
  const page = await context.newPage();
  await page.addInitScript(frameDepthSource);
  await page.goto(url);
  await page.getByRole('tab', { name: 'Edit' }).click();
  await page
    .getByTestId('layer')
    .nth(layers - 1)
    .waitFor();
  // Polled from here: the page's CSP allows no string evaluation of its own.
  const deadline = Date.now() + 60_000;
  while ((await page.evaluate(imagesReadySource)) !== layers) {
    if (Date.now() > deadline) throw new Error(`the ${layers} layers' images did not load`);
    await page.waitForTimeout(50);
  }
  return page;
};

const closeSaved = async (page: Page): Promise<void> => {
  await page.getByTestId('editor-save-state').filter({ hasText: 'Saved' }).waitFor();
  await page.close();
};

const main = async (): Promise<void> => {
  ensureBuilt();
  Object.assign(process.env, writeAwsProfiles({ default: testCredentials }));
  setLogSink((level, line) => {
    if (level !== 'info') process.stderr.write(`${line}\n`);
  });
  const fake = await startFakeSageMaker();
  const dataDir = mkdtempSync(join(tmpdir(), 'studio-bench-editor-'));
  const core = webModeCore(dataDir, {
    models: [{ modelId: 'sdxl', modelName: 'SDXL', endpointName: 'bench-edit', format: 'stability' }],
    endpointOverrides: { ...defaultSettings().endpointOverrides, sagemakerRuntime: fake.url },
  });
  const server = await startServer({ core, rendererDir, port: 0 });
  const browser = await chromium.launch(chromiumLaunchOptions);
  const save = async (document: EditorDocument): Promise<void> => {
    await call(core, 'saveEditorDocument', document);
  };
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const warm = await context.newPage();
    await warm.goto(server.openUrl); // sets the session cookie
    await warm.close();
    const imageIds: string[] = [];
    for (let i = 0; i < 20; i++)
      imageIds.push(
        (await call(core, 'addEditorImage', { bytes: new Uint8Array(realisticPng(size, i + 1)), name: `l${i}.png` }))
          .imageId,
      );

    // Ten layers fanned out, all on screen at 50 %; the strokes cross the top one.
    const fan = (count: number): EditorImageLayer[] =>
      imageIds.slice(0, count).map((id, i) => layerAt(id, i, i * 48, i * 32));
    await save({ version: 1, layers: fan(10), view: { x: 20, y: 20, scale: 0.5 } });
    let page = await openEditor(context, `${server.url}/`, 10);
    const top = { left: 20 + 9 * 24 + 40, top: 20 + 9 * 16 + 40, width: 512 - 80, height: 512 - 80 };
    const strokes = [0, 1, 2].map((n) => wave(top.left, top.top + n * 20, top.width, top.height - 60, 100, n));
    const times: number[] = [];
    for (const [n, points] of strokes.entries()) {
      await page.getByRole('button', { name: n === 1 ? 'Brush' : 'Eraser' }).click();
      times.push(...((await page.evaluate(strokeTimesSource([points]))) as number[]));
    }
    if (times.some((t) => !(t >= 0))) throw new Error('a pointer move drew nothing');
    console.log(
      JSON.stringify({
        metric: 'editor_stroke_ms_p95',
        value: quantile(times, 0.95),
        unit: 'ms',
        moves: times.length,
        layers: 10,
        p50_ms: quantile(times, 0.5),
        max_ms: quantile(times, 1),
        target: 16,
      }),
    );
    await closeSaved(page);

    await save({ version: 1, layers: fan(20), view: { x: 20, y: 20, scale: 0.35 } });
    page = await openEditor(context, `${server.url}/`, 20);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    console.log(
      JSON.stringify({
        metric: 'editor_heap_mb_20_layers',
        value: Number((heap / 1024 / 1024).toFixed(1)),
        unit: 'MB',
        layers: 20,
        target: 400,
      }),
    );
    await closeSaved(page);

    // One layer with an erased band, a 1024² box over it: an inpainting request each Dream.
    const layer = {
      ...layerAt(imageIds[0] ?? '', 0, 0, 0),
      strokes: [
        {
          mode: 'erase' as const,
          colour: '#000000',
          size: 80,
          hardness: 0.8,
          opacity: 1,
          points: [200, 500, 500, 420, 820, 560],
        },
      ],
    };
    const box = {
      id: ulid(),
      x: 0,
      y: 0,
      width: size,
      height: size,
      prompt: 'bench',
      negativePrompt: '',
      modelId: '',
      stylePreset: '',
      count: 1,
      cfgScale: 7,
      steps: 30,
      seed: 1,
      strength: 0.35,
    };
    await save({ version: 1, layers: [layer], boxes: [box], view: { x: 20, y: 20, scale: 0.5 } });
    page = await openEditor(context, `${server.url}/`, 1);
    const overheads: number[] = [];
    const rendererShares: number[] = [];
    // Two warm-up Dreams first (the page's code is compiled on its first uses), then nine measured.
    const warmUps = 2;
    for (let run = 0; run < warmUps + 9; run++) {
      const sent = fake.invocations.length;
      await page.getByRole('button', { name: 'Dream in box' }).waitFor();
      const clickedAt = (await page.evaluate(`new Promise((resolve) => {
        performance.clearResourceTimings();
        const button = document.querySelector('button[aria-label="Dream in box"]');
        button.addEventListener('click', () => resolve(performance.timeOrigin + performance.now()), { capture: true, once: true });
        button.click();
      })`)) as number;
      await fake.waitFor(() => fake.invocations.length > sent, 60_000);
      const invocation = fake.invocations[sent];
      if (!invocation || (invocation.body as { mask_source?: string } | undefined)?.mask_source === undefined)
        throw new Error('the box did not send an inpainting request');
      const overhead = invocation.receivedAt.getTime() - clickedAt;
      // The page's share ends when the last upload (encoded by then) is answered.
      const uploaded = (await page.evaluate(`Math.max(...performance.getEntriesByType('resource')
        .filter((e) => e.name.endsWith('/api/uploadPixels'))
        .map((e) => performance.timeOrigin + e.responseEnd))`)) as number;
      if (run >= warmUps) {
        overheads.push(overhead);
        rendererShares.push(uploaded - clickedAt);
      }
      await page.getByRole('button', { name: 'Discard' }).click();
    }
    console.log(
      JSON.stringify({
        metric: 'inpaint_request_overhead_ms',
        value: quantile(overheads, 0.5),
        unit: 'ms',
        runs: overheads.length,
        width: size,
        height: size,
        p90_ms: quantile(overheads, 0.9),
        renderer_ms_p50: quantile(rendererShares, 0.5),
        main_ms_p50: quantile(
          overheads.map((o, i) => o - (rendererShares[i] ?? NaN)),
          0.5,
        ),
        target: 150,
      }),
    );
    await closeSaved(page);
  } finally {
    await browser.close();
    await server.close();
    core.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
