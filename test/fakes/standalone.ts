/**
 * Runs the SageMaker fake (runtime + control plane), the Cognito Identity fake
 * and the STS fake for manual use:
 *
 *   npx tsx test/fakes/standalone.ts [--port 8085] [--latency MS] [--host 127.0.0.1]
 *
 * SageMaker on PORT, Cognito Identity on PORT+1, STS on PORT+2. Ctrl+C stops all.
 */
import { startFakeCognito, TEST_IDENTITY_POOL_ID, TEST_UNAUTH_ROLE_ARN } from './cognito-identity.js';
import { testCredentials } from './keys.js';
import { startFakeSageMaker, type FakeEndpoint } from './sagemaker-endpoint.js';
import { startFakeSts } from './sts.js';

/** Endpoints ListEndpoints shows (any other well-formed name still answers InvokeEndpoint as stability). */
const DEMO_ENDPOINTS: Record<string, FakeEndpoint> = {
  'sdxl-1-0-demo': {
    status: 'InService',
    format: 'stability',
    instanceType: 'ml.g5.2xlarge',
    tags: {
      'sagemaker-sdk:jumpstart-model-id': 'model-imagegeneration-stabilityai-stable-diffusion-xl-base-1-0',
      'sagemaker-sdk:jumpstart-model-version': '1.*',
    },
  },
  'sd21-demo': {
    status: 'InService',
    format: 'jumpstart-sd',
    instanceType: 'ml.p3.2xlarge',
    tags: {
      'sagemaker-sdk:jumpstart-model-id': 'model-txt2img-stabilityai-stable-diffusion-v2-1-base',
      'sagemaker-sdk:jumpstart-model-version': '2.*',
    },
  },
  'hf-sdxl-demo': { status: 'InService', format: 'hf-diffusers', instanceType: 'ml.g5.xlarge' },
  'sdxl-creating': { status: 'Creating', format: 'stability' },
  'sdxl-failed': { status: 'Failed', format: 'stability' },
};

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
        if (args.port < 1 || args.port > 65533) usage('--port must be between 1 and 65533');
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
  const minute = 60_000;
  Object.entries(DEMO_ENDPOINTS).forEach(([name, e], i, all) => {
    sagemaker.setEndpoint(name, { creationTime: new Date(Date.now() - (all.length - i) * 60 * minute), ...e });
  });
  const cognito = await startFakeCognito({ port: args.port + 1, host: args.host });
  const sts = await startFakeSts({ port: args.port + 2, host: args.host });

  const lines = [
    '',
    '=== StableStudio fakes running ===',
    '',
    `  SageMaker runtime (InvokeEndpoint) and control plane`,
    `    (ListEndpoints, DescribeEndpoint, DescribeEndpointConfig, ListTags):  ${sagemaker.url}`,
    `  Cognito Identity (GetId, GetCredentialsForIdentity, GetOpenIdToken):  ${cognito.url}`,
    `  STS (GetCallerIdentity, AssumeRoleWithWebIdentity):  ${sts.url}`,
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
    'Settings → Advanced:',
    `  SageMaker Runtime endpoint URL  ${sagemaker.url}`,
    `  SageMaker endpoint URL          ${sagemaker.url}   (same URL: control plane)`,
    `  Cognito Identity endpoint URL   ${cognito.url}`,
    `  STS endpoint URL                ${sts.url}`,
    '  model endpoint name   any name matching ^[a-zA-Z0-9](-*[a-zA-Z0-9])* (e.g. sdxl-1-0-fake) is a stability endpoint;',
    '                        ListEndpoints shows these demo endpoints:',
    ...Object.entries(DEMO_ENDPOINTS).map(
      ([name, e]) => `                          ${name.padEnd(16)} ${e.status.padEnd(10)} ${e.format ?? 'stability'}`,
    ),
    '',
    `Cognito mode: identity pool ID ${TEST_IDENTITY_POOL_ID} (any well-formed pool ID works)`,
    '  enhanced flow guests may only InvokeEndpoint (ListEndpoints is denied, as in AWS);',
    `  classic flow: GetOpenIdToken, then STS AssumeRoleWithWebIdentity with RoleArn ${TEST_UNAUTH_ROLE_ARN}`,
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
    Promise.all([sagemaker.close(), cognito.close(), sts.close()]).then(
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
