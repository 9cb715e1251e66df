/**
 * Renderer benchmarks, in Chromium against web mode, with a library of 1,000 generations of 4 images:
 * - history_first_paint_ms: from opening the page to the first row of thumbnails painted.
 * - renderer_heap_mb_after_scroll / renderer_dom_nodes_after_scroll: JS heap used and DOM nodes
 *   (CDP Performance metrics) after scrolling the whole history top to bottom.
 * - renderer_bundle_kb_gzip: the JavaScript index.html loads at start-up, gzipped (lazy chunks excluded).
 * The app is built first when there is no build or a source is newer than it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startServer } from '../src-main/server/server';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { makeLibrary } from './support/library';
import { webModeCore } from './support/web-core';
import { ensureBuilt, rendererDir } from './support/build';

/** Start-up JavaScript: the module scripts and modulepreloads index.html names. */
const bundleKbGzip = (): { kb: number; files: string[] } => {
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  const files = [
    ...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.?\/?([^"]+\.js)"/g),
  ].map((m) => m[1] ?? '');
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(rendererDir, f)), { level: 9 }).length, 0);
  return { kb: bytes / 1024, files };
};

// Page-side code is passed as source text: tsx would otherwise wrap it in helpers the page lacks.
const firstRowPaintedSource = `new Promise((resolve) => {
  const check = () => {
    const imgs = [...document.querySelectorAll('[data-testid="generation"] img')].slice(0, 4);
    if (imgs.length === 4 && imgs.every((i) => i.complete && i.naturalWidth > 0)) {
      // The frame after the images decoded is the one that shows them.
      requestAnimationFrame(() => resolve(performance.now()));
    } else requestAnimationFrame(check);
  };
  check();
})`;
const firstRowPainted = (page: Page): Promise<number> => page.evaluate(firstRowPaintedSource) as Promise<number>;

const scrollStepSource = `(() => {
  const scrollers = [...document.querySelectorAll('*')].filter(
    (e) => e.scrollHeight > e.clientHeight + 10 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY),
  );
  const target = scrollers.sort((a, b) => b.scrollHeight - a.scrollHeight)[0] ?? document.scrollingElement;
  if (!target) return 0;
  target.scrollTop = target.scrollHeight;
  return target.scrollHeight;
})()`;

/** Scrolls the history's scroll container to the end, page after page, until nothing more loads. */
const scrollToEnd = async (page: Page): Promise<number> => {
  let stable = 0;
  let last = -1;
  let rounds = 0;
  while (stable < 4 && rounds < 400) {
    rounds++;
    const height = (await page.evaluate(scrollStepSource)) as number;
    await page.waitForTimeout(120);
    stable = height === last ? stable + 1 : 0;
    last = height;
  }
  return rounds;
};

const main = async (): Promise<void> => {
  ensureBuilt();
  const bundle = bundleKbGzip();
  console.log(
    JSON.stringify({
      metric: 'renderer_bundle_kb_gzip',
      value: Number(bundle.kb.toFixed(1)),
      unit: 'kB',
      files: bundle.files,
      target: 300,
    }),
  );

  const dataDir = mkdtempSync(join(tmpdir(), 'studio-bench-renderer-'));
  await makeLibrary(dataDir, 1000, 4);
  const core = webModeCore(dataDir, {
    models: [{ modelId: 'sdxl', modelName: 'SDXL', endpointName: 'bench', format: 'stability' }],
  });
  const server = await startServer({ core, rendererDir, port: 0 });
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const paints: number[] = [];
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const warm = await context.newPage();
    await warm.goto(server.openUrl); // sets the cookie; caches nothing the next runs rely on
    await warm.close();
    for (let i = 0; i < 3; i++) {
      const page = await context.newPage();
      await page.goto(`${server.url}/`, { waitUntil: 'commit' });
      paints.push(await firstRowPainted(page));
      await page.close();
    }
    paints.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        metric: 'history_first_paint_ms',
        value: Math.round(paints[1] ?? NaN),
        unit: 'ms',
        runs: 3,
        generations: 1000,
        target: 800,
      }),
    );

    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${server.url}/`);
    await firstRowPainted(page);
    const rounds = await scrollToEnd(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? NaN;
    console.log(
      JSON.stringify({
        metric: 'renderer_heap_mb_after_scroll',
        value: Number((metric('JSHeapUsedSize') / 1024 / 1024).toFixed(1)),
        unit: 'MB',
        scroll_rounds: rounds,
        target: 120,
      }),
    );
    console.log(
      JSON.stringify({
        metric: 'renderer_dom_nodes_after_scroll',
        value: metric('Nodes'),
        unit: 'nodes',
        target: 6000,
      }),
    );
  } finally {
    await browser.close();
    await server.close();
    core.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
