/**
 * The fake SageMaker endpoint in a process of its own, so its PNG rendering does not
 * run on the benchmarked core's event loop. Prints its URL, stops when stdin closes.
 */
import { startFakeSageMaker } from '../../test/fakes/sagemaker-endpoint';

const latencyMs = Number(process.argv[2] ?? '0');
const fake = await startFakeSageMaker({ behaviour: { latencyMs } });
process.stdout.write(`${fake.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void fake.close().then(() => process.exit(0));
});
