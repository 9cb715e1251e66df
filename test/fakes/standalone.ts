/**
 * Runs the SageMaker Runtime fake and the Cognito Identity fake for manual use:
 *
 *   npx tsx test/fakes/standalone.ts [--port 8085] [--latency MS] [--host 127.0.0.1]
 *
 * SageMaker on PORT, Cognito Identity on PORT+1. Ctrl+C stops both.
 */
import { startFakeCognito, TEST_IDENTITY_POOL_ID } from './cognito-identity.js';
import { testCredentials } from './keys.js';
import { startFakeSageMaker } from './sagemaker-endpoint.js';

interface Args {
  port: number;
  latencyMs: number;
  host: string;
}

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write('usage: npx tsx test/fakes/standalone.ts [--port 8085] [--latency MS] [--host 127.0.0.1]\n');
  process.exit(message ? 2 : 0);
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { port: 8085, latencyMs: 0, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const number = (): number => {
      const n = Number(value);
      if (value === undefined || !Number.isInteger(n) || n < 0) usage(`${flag} needs a non-negative integer`);
      i++;
      return n;
    };
    switch (flag) {
      case '--port':
        args.port = number();
        if (args.port < 1 || args.port > 65534) usage('--port must be between 1 and 65534');
        break;
      case '--latency':
        args.latencyMs = number();
        break;
      case '--host':
        if (value === undefined) usage('--host needs a value');
        args.host = value;
        i++;
        break;
      case '--help':
      case '-h':
        usage();
        break;
      default:
        usage(`unknown argument ${String(flag)}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sagemaker = await startFakeSageMaker({
    port: args.port,
    host: args.host,
    behaviour: { latencyMs: args.latencyMs },
  });
  const cognito = await startFakeCognito({ port: args.port + 1, host: args.host });

  const lines = [
    '',
    '=== StableStudio fakes running ===',
    '',
    `  SageMaker Runtime (InvokeEndpoint):  ${sagemaker.url}`,
    `  Cognito Identity (GetId, GetCredentialsForIdentity):  ${cognito.url}`,
    `  Latency per invocation: ${args.latencyMs} ms`,
    '',
    'Profile mode: add this to ~/.aws/credentials',
    '',
    '  [studio-fake]',
    `  aws_access_key_id = ${testCredentials.accessKeyId}`,
    `  aws_secret_access_key = ${testCredentials.secretAccessKey}`,
    '',
    '  and this to ~/.aws/config',
    '',
    '  [profile studio-fake]',
    '  region = us-east-1',
    '',
    'App settings:',
    '  credentials mode      profile, profile name "studio-fake"   (or cognito, see below)',
    '  AWS region            us-east-1',
    `  endpoint URL override sagemakerRuntime = ${sagemaker.url}`,
    `  endpoint URL override cognitoIdentity  = ${cognito.url}`,
    '  model endpoint name   any name matching ^[a-zA-Z0-9](-*[a-zA-Z0-9])* (e.g. sdxl-1-0-fake)',
    '  payload format        stability',
    '',
    `Cognito mode: identity pool ID ${TEST_IDENTITY_POOL_ID} (any well-formed pool ID works)`,
    '',
    'Ctrl+C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n'));

  let lastCount = 0;
  const ticker = setInterval(() => {
    const n = sagemaker.invocations.length;
    if (n !== lastCount) {
      const last = sagemaker.invocations[n - 1];
      process.stdout.write(
        `[fake] requests=${sagemaker.requests} invocations=${n} inFlight=${sagemaker.inFlight} last=${last?.endpoint ?? '-'} status=${last?.status ?? '…'}\n`,
      );
      lastCount = n;
    }
  }, 1000);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(ticker);
    process.stdout.write('\nstopping fakes…\n');
    Promise.all([sagemaker.close(), cognito.close()]).then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`could not start the fakes: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
