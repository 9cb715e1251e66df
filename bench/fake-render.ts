/**
 * fake_render_1024_ms_p50: how long the fake SDXL endpoint takes to draw one 1024×1024 PNG
 * (test/fakes/png.ts), the floor under every e2e Dream. Measured here, not asserted in a
 * test: a loaded machine makes it slower without anything being wrong.
 */
import { renderPng } from '../test/fakes/png';

const size = 1024;
const runs = 15;

const main = (): void => {
  renderPng(size, size, 1); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    renderPng(size, size, 910_001 + i);
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(runs / 2)] ?? NaN;
  console.log(
    JSON.stringify({
      metric: 'fake_render_1024_ms_p50',
      value: Number(median.toFixed(2)),
      unit: 'ms',
      images: runs,
      width: size,
      height: size,
      max_ms: Number((sorted[runs - 1] ?? NaN).toFixed(2)),
    }),
  );
};

main();
