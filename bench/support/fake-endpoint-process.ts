/**
 * The fake SageMaker endpoint in a process of its own, so its work does not run on the
 * benchmarked core's event loop. It answers with realistic 1024×1024 PNGs (~2 MB each) made
 * once here at start-up, so no PNG is drawn on the request path (a real endpoint's GPU does
 * not share our CPU). Prints its URL once they are ready, stops when stdin closes.
 */
import { startFakeSageMaker } from '../../test/fakes/sagemaker-endpoint';
import { realisticPng } from './realistic-png';

const latencyMs = Number(process.argv[2] ?? '0');
const size = 1024;
/** Distinct pictures, so consecutive answers are not the same bytes. */
const pngs = Array.from({ length: 8 }, (_, i) => realisticPng(size, i + 1));
const fake = await startFakeSageMaker({
  behaviour: { latencyMs },
  pngFor: (width, height, seed) => (width === size && height === size ? pngs[seed % pngs.length] : undefined),
});
process.stdout.write(`${fake.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void fake.close().then(() => process.exit(0));
});
