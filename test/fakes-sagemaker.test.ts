import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  InvokeEndpointCommand,
  ModelError,
  SageMakerRuntimeClient,
  type SageMakerRuntimeClientConfig,
} from '@aws-sdk/client-sagemaker-runtime';
import { PNG } from 'pngjs';
import {
  sharedCredentials,
  testCredentials,
  testSessionCredentials,
  unknownCredentials,
  wrongSecretCredentials,
} from './fakes/keys.js';
import { pngSize, renderPng } from './fakes/png.js';
import { startFakeSageMaker, type FakeSageMaker, type FaultMode } from './fakes/sagemaker-endpoint.js';
import { failure } from './fakes/sdk-helpers.js';
import {
  buildCanonicalRequest,
  buildStringToSign,
  canonicalUri,
  deriveSigningKey,
  verifySigV4Parts,
} from './fakes/sigv4.js';

interface Artifact {
  base64: string;
  seed: number;
  finishReason: string;
}

type Credentials = SageMakerRuntimeClientConfig['credentials'];

function client(
  fake: FakeSageMaker,
  credentials: Credentials = testCredentials,
  extra: Partial<SageMakerRuntimeClientConfig> = {},
): SageMakerRuntimeClient {
  return new SageMakerRuntimeClient({
    endpoint: fake.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    ...extra,
  });
}

function payload(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    text_prompts: [
      { text: 'a lighthouse at dusk, oil painting', weight: 1 },
      { text: 'blurry', weight: -1 },
    ],
    cfg_scale: 7,
    steps: 30,
    seed: 1234,
    sampler: 'K_DPMPP_2M',
    width: 1024,
    height: 1024,
    samples: 1,
    ...over,
  });
}

function invoke(
  c: SageMakerRuntimeClient,
  body: string,
  endpoint = 'sdxl-1-0',
  accept = 'application/json;png',
  abortSignal?: AbortSignal,
) {
  return c.send(
    new InvokeEndpointCommand({ EndpointName: endpoint, Body: body, ContentType: 'application/json', Accept: accept }),
    abortSignal ? { abortSignal } : {},
  );
}

function artifactsOf(body: Uint8Array): Artifact[] {
  const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { artifacts: Artifact[] };
  return parsed.artifacts;
}

/** Checks the PNG signature and reads width/height straight from the IHDR bytes. */
function ihdrSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('renderPng', () => {
  // How fast is for `npm run bench` (fake_render_1024_ms_p50): a loaded machine must not fail a test.
  it('renders a 1024x1024 PNG deterministically, and differently per seed', () => {
    const seeds = [910001, 910002, 910003];
    const images = seeds.map((seed) => renderPng(1024, 1024, seed));
    for (const img of images) expect(pngSize(img)).toEqual({ width: 1024, height: 1024 });
    const [a, b] = images.map((img) => PNG.sync.read(img).data);
    expect(a?.equals(b ?? Buffer.alloc(0))).toBe(false);
    expect(renderPng(1024, 1024, 910001).equals(images[0] ?? Buffer.alloc(0))).toBe(true);
  });
});

describe('fake SageMaker endpoint with the real SDK', () => {
  let fake: FakeSageMaker;

  beforeAll(async () => {
    fake = await startFakeSageMaker();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  it.each([
    [1024, 1024],
    [1344, 768],
    [640, 1536],
  ])('returns a real %ix%i PNG for a signed stability request', async (width, height) => {
    const out = await invoke(client(fake), payload({ width, height, seed: 77 }));
    expect(out.ContentType).toBe('application/json');
    expect(out.InvokedProductionVariant).toBe('AllTraffic');
    const [art, ...rest] = artifactsOf(out.Body);
    expect(rest).toHaveLength(0);
    expect(art?.seed).toBe(77);
    expect(art?.finishReason).toBe('SUCCESS');
    const png = Buffer.from(art?.base64 ?? '', 'base64');
    expect(ihdrSize(png)).toEqual({ width, height });
    const decoded = PNG.sync.read(png);
    expect([decoded.width, decoded.height]).toEqual([width, height]);
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    const c = client(fake);
    const a = artifactsOf((await invoke(c, payload({ seed: 42 }))).Body)[0]?.base64;
    const b = artifactsOf((await invoke(c, payload({ seed: 42, text_prompts: [{ text: 'other' }] }))).Body)[0]?.base64;
    const d = artifactsOf((await invoke(c, payload({ seed: 43 }))).Body)[0]?.base64;
    expect(a).toBeDefined();
    expect(a).toBe(b);
    expect(a).not.toBe(d);
    expect(a).toBe(renderPng(1024, 1024, 42).toString('base64'));
  });

  it('returns one artifact per sample with consecutive seeds', async () => {
    const arts = artifactsOf(
      (await invoke(client(fake), payload({ seed: 4294967294, samples: 3, width: 832, height: 1216 }))).Body,
    );
    expect(arts.map((a) => a.seed)).toEqual([4294967294, 4294967295, 1]);
    for (const a of arts) expect(ihdrSize(Buffer.from(a.base64, 'base64'))).toEqual({ width: 832, height: 1216 });
  });

  it('picks and reports a random seed when seed is 0 or missing', async () => {
    const c = client(fake);
    const [zero] = artifactsOf((await invoke(c, payload({ seed: 0 }))).Body);
    const [missing] = artifactsOf((await invoke(c, payload({ seed: undefined }))).Body);
    for (const art of [zero, missing]) {
      expect(Number.isInteger(art?.seed)).toBe(true);
      expect(art?.seed).toBeGreaterThanOrEqual(1);
      expect(art?.seed).toBeLessThanOrEqual(4294967295);
    }
    // The reported seed reproduces the image.
    const [again] = artifactsOf((await invoke(c, payload({ seed: zero?.seed }))).Body);
    expect(again?.base64).toBe(zero?.base64);
    expect(fake.invocations.map((i) => i.seeds?.[0])).toEqual([zero?.seed, missing?.seed, zero?.seed]);
  });

  it('answers raw PNG bytes for Accept image/png', async () => {
    const out = await invoke(client(fake), payload({ width: 1152, height: 896 }), 'sdxl-1-0', 'image/png');
    expect(out.ContentType).toBe('image/png');
    expect(ihdrSize(Buffer.from(out.Body))).toEqual({ width: 1152, height: 896 });
  });

  it('logs invocations with endpoint, parsed body, access key and time', async () => {
    const before = Date.now();
    await invoke(client(fake), payload({ seed: 5 }), 'my-sdxl');
    expect(fake.requests).toBe(1);
    expect(fake.invocations).toHaveLength(1);
    const inv = fake.invocations[0];
    expect(inv?.endpoint).toBe('my-sdxl');
    expect(inv?.accessKeyId).toBe(testCredentials.accessKeyId);
    expect(inv?.region).toBe('us-east-1');
    expect(inv?.accept).toBe('application/json;png');
    expect(inv?.status).toBe(200);
    expect((inv?.body as { seed: number }).seed).toBe(5);
    expect(inv?.time.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  describe('container validation (ModelError 424, as the real SDXL container)', () => {
    it('refuses a non-SDXL size and exposes the ModelError fields', async () => {
      const err = await failure(invoke(client(fake), payload({ width: 1000, height: 1000 }), 'sdxl-test'));
      expect(err.name).toBe('ModelError');
      expect(err).toBeInstanceOf(ModelError);
      expect(err.$metadata.httpStatusCode).toBe(424);
      const me = err as unknown as ModelError;
      expect(me.OriginalStatusCode).toBe(400);
      expect(me.OriginalMessage).toContain('1000x1000');
      expect(me.OriginalMessage).toContain('1024x1024');
      expect(me.LogStreamArn).toBe('arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/sdxl-test');
      expect(err.message).toMatch(/^Received client error \(400\) from primary with message ".*1000x1000/);
      expect(err.message).toContain('/aws/sagemaker/Endpoints/sdxl-test in account 123456789012');
    });

    it.each([
      ['empty text_prompts', { text_prompts: [] }, 'text_prompts'],
      ['only a negative prompt', { text_prompts: [{ text: 'x', weight: -1 }] }, 'positive weight'],
      ['unknown sampler', { sampler: 'K_FANCY' }, 'sampler'],
      ['unknown style', { style_preset: 'watercolour' }, 'style_preset'],
      ['too many samples', { samples: 11 }, 'samples'],
      ['seed out of range', { seed: 4294967296 }, 'seed'],
      ['init image of wrong size', { init_image: renderPng(64, 64, 1).toString('base64') }, 'init_image'],
    ])('refuses %s', async (_label, over, expected) => {
      const err = await failure(invoke(client(fake), payload(over)));
      expect(err.name).toBe('ModelError');
      expect((err as unknown as ModelError).OriginalMessage).toContain(expected);
    });

    it('accepts image-to-image with an SDXL-sized init image and answers its size', async () => {
      const init = renderPng(896, 1152, 3).toString('base64');
      const out = await invoke(
        client(fake),
        payload({ init_image: init, init_image_mode: 'IMAGE_STRENGTH', image_strength: 0.35 }),
      );
      const [art] = artifactsOf(out.Body);
      expect(ihdrSize(Buffer.from(art?.base64 ?? '', 'base64'))).toEqual({ width: 896, height: 1152 });
    });

    it('answers a timeout ModelError when the model is slower than the container limit', async () => {
      const slow = await startFakeSageMaker({ modelTimeoutMs: 30, behaviour: { latencyMs: 40 } });
      try {
        const err = await failure(invoke(client(slow), payload()));
        expect(err.name).toBe('ModelError');
        expect(err.message).toContain('timed out');
      } finally {
        await slow.close();
      }
    });
  });

  describe('SigV4', () => {
    it('refuses the wrong secret with 403 InvalidSignatureException', async () => {
      const err = await failure(invoke(client(fake, wrongSecretCredentials), payload()));
      expect(err.name).toBe('InvalidSignatureException');
      expect(err.$metadata.httpStatusCode).toBe(403);
      expect(err.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
      expect(fake.authFailures).toBe(1);
      expect(fake.invocations).toHaveLength(0);
    });

    it('refuses an unknown access key with UnrecognizedClientException', async () => {
      const err = await failure(invoke(client(fake, unknownCredentials), payload()));
      expect(err.name).toBe('UnrecognizedClientException');
      expect(err.$metadata.httpStatusCode).toBe(403);
      expect(err.message).toBe('The security token included in the request is invalid.');
    });

    it('accepts session credentials and checks their token', async () => {
      await invoke(client(fake, testSessionCredentials), payload());
      expect(fake.invocations[0]?.accessKeyId).toBe(testSessionCredentials.accessKeyId);
      const wrongToken = { ...testSessionCredentials, sessionToken: 'not-the-token' };
      expect((await failure(invoke(client(fake, wrongToken), payload()))).name).toBe('UnrecognizedClientException');
      const noToken = {
        accessKeyId: testSessionCredentials.accessKeyId,
        secretAccessKey: testSessionCredentials.secretAccessKey,
      };
      expect((await failure(invoke(client(fake, noToken), payload()))).name).toBe('UnrecognizedClientException');
    });

    it('refuses expired temporary credentials with ExpiredTokenException', async () => {
      const cred = sharedCredentials.issueTemporary({ ttlSeconds: -60 });
      try {
        const err = await failure(
          invoke(
            client(fake, {
              accessKeyId: cred.accessKeyId,
              secretAccessKey: cred.secretAccessKey,
              sessionToken: cred.sessionToken,
            }),
            payload(),
          ),
        );
        expect(err.name).toBe('ExpiredTokenException');
        expect(err.$metadata.httpStatusCode).toBe(403);
      } finally {
        sharedCredentials.revoke(cred.accessKeyId);
      }
    });

    it('detects a body changed after signing', async () => {
      const c = client(fake);
      c.middlewareStack.add(
        (next) => async (args) => {
          const req = args.request as { body?: unknown };
          req.body = payload({ seed: 2 }); // same length, so Content-Length still fits
          return next(args);
        },
        { step: 'deserialize', name: 'tamperBody' },
      );
      const err = await failure(invoke(c, payload({ seed: 1 })));
      expect(err.name).toBe('InvalidSignatureException');
    });

    it('detects a signed header changed after signing', async () => {
      const c = client(fake);
      c.middlewareStack.add(
        (next) => async (args) => {
          const req = args.request as { headers: Record<string, string> };
          req.headers['accept'] = 'image/png';
          return next(args);
        },
        { step: 'deserialize', name: 'tamperHeader' },
      );
      expect((await failure(invoke(c, payload()))).name).toBe('InvalidSignatureException');
    });

    it('refuses a signature made with a skewed clock, and the SDK corrects itself from the Date header', async () => {
      const skew = { systemClockOffset: -20 * 60 * 1000 };
      const err = await failure(invoke(client(fake, testCredentials, skew), payload()));
      expect(err.name).toBe('InvalidSignatureException');
      expect(err.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
      fake.reset();
      const out = await invoke(client(fake, testCredentials, { ...skew, maxAttempts: 2 }), payload());
      expect(artifactsOf(out.Body)).toHaveLength(1);
      expect(fake.requests).toBe(2);
    });

    it('verifies the path exactly as the SDK double-encodes it (odd endpoint names reach validation, not 403)', async () => {
      for (const name of ['a b', 'x.y', 'ä%/?&=+', 'sdxl..1']) {
        const err = await failure(invoke(client(fake), payload(), name));
        expect(err.name).toBe('ValidationError');
        expect(err.message).toContain(`Value '${name}' at 'endpointName'`);
      }
      expect(fake.authFailures).toBe(0);
    });

    it('canonicalises the path like the SDK (normalise then encode again)', () => {
      expect(canonicalUri('/endpoints/a%20b/invocations')).toBe('/endpoints/a%2520b/invocations');
      expect(canonicalUri('/endpoints/%C3%A4%2F/invocations')).toBe('/endpoints/%25C3%25A4%252F/invocations');
      expect(canonicalUri('/a//b/./c/../d/')).toBe('/a/b/d/');
      expect(canonicalUri('')).toBe('/');
    });

    it('matches the AWS documentation example (IAM ListUsers)', () => {
      const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'iam');
      expect(key.toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
      const parts = {
        method: 'GET',
        url: '/?Action=ListUsers&Version=2010-05-08',
        headers: [
          ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
          ['Host', 'iam.amazonaws.com'],
          ['X-Amz-Date', '20150830T123600Z'],
        ] as const,
        body: new Uint8Array(),
      };
      const canonical = buildCanonicalRequest(
        parts,
        ['content-type', 'host', 'x-amz-date'],
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
      const sts = buildStringToSign('20150830T123600Z', '20150830/us-east-1/iam/aws4_request', canonical);
      expect(sts.split('\n')[3]).toBe('f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
      const signature = '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';
      const headers = [
        ...parts.headers,
        [
          'Authorization',
          `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${signature}`,
        ],
      ] as const;
      const verdict = verifySigV4Parts(
        { ...parts, headers },
        {
          credentials: () => 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
          now: new Date('2015-08-30T12:40:00Z'),
          service: 'iam',
        },
      );
      expect(verdict).toMatchObject({ ok: true, accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1', service: 'iam' });
      const wrongService = verifySigV4Parts(
        { ...parts, headers },
        { credentials: () => 'x', now: new Date('2015-08-30T12:40:00Z'), service: 'sagemaker' },
      );
      expect(wrongService).toMatchObject({ ok: false, code: 'InvalidSignatureException' });
      const missing = verifySigV4Parts(parts, { credentials: () => 'x' });
      expect(missing).toMatchObject({ ok: false, status: 403, code: 'MissingAuthenticationTokenException' });
    });
  });

  describe('fault injection', () => {
    it.each([
      ['ModelError', 424],
      ['ValidationError', 400],
      ['ThrottlingException', 400],
      ['ServiceUnavailable', 503],
      ['ModelNotReadyException', 429],
      ['InternalFailure', 500],
    ] as const)('%s → SDK exception of that name, HTTP %i', async (mode, status) => {
      fake.setBehaviour({ failNext: [mode] });
      const err = await failure(invoke(client(fake), payload()));
      expect(err.name).toBe(mode);
      expect(err.$metadata.httpStatusCode).toBe(status);
      expect(fake.behaviour.failNext).toEqual([]);
      if (mode === 'ModelError') {
        const me = err as unknown as ModelError;
        expect(me.OriginalStatusCode).toBe(400);
        expect(typeof me.OriginalMessage).toBe('string');
        expect(me.LogStreamArn).toContain('/aws/sagemaker/Endpoints/sdxl-1-0');
      }
      // Consumed: the next call succeeds.
      expect(artifactsOf((await invoke(client(fake), payload())).Body)).toHaveLength(1);
    });

    it('malformed-json answers 200 with a body that does not parse', async () => {
      fake.setBehaviour({ failNext: ['malformed-json'] });
      const out = await invoke(client(fake), payload());
      expect(() => JSON.parse(Buffer.from(out.Body).toString('utf8'))).toThrow();
    });

    it('no-artifacts answers an empty artifact list', async () => {
      fake.setBehaviour({ failNext: ['no-artifacts'] });
      expect(artifactsOf((await invoke(client(fake), payload())).Body)).toEqual([]);
    });

    it('bad-base64 answers artifacts whose base64 is not an image', async () => {
      fake.setBehaviour({ failNext: ['bad-base64'] });
      const [art] = artifactsOf((await invoke(client(fake), payload())).Body);
      expect(art?.base64).not.toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
      expect(
        Buffer.from(art?.base64 ?? '', 'base64')
          .subarray(0, 4)
          .toString('latin1'),
      ).not.toBe('\x89PNG');
    });

    it('content-filtered answers CONTENT_FILTERED artifacts', async () => {
      fake.setBehaviour({ failNext: ['content-filtered'] });
      const arts = artifactsOf((await invoke(client(fake), payload({ samples: 2 }))).Body);
      expect(arts.map((a) => a.finishReason)).toEqual(['CONTENT_FILTERED', 'CONTENT_FILTERED']);
      expect(ihdrSize(Buffer.from(arts[0]?.base64 ?? '', 'base64'))).toEqual({ width: 1024, height: 1024 });
    });

    it('consumes failNext in order, then failAlways applies until cleared', async () => {
      const c = client(fake);
      fake.setBehaviour({ failNext: ['ThrottlingException', 'InternalFailure'], failAlways: 'ServiceUnavailable' });
      const names: string[] = [];
      for (let i = 0; i < 4; i++) names.push((await failure(invoke(c, payload()))).name);
      expect(names).toEqual(['ThrottlingException', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailable']);
      fake.setBehaviour({ failAlways: null });
      await invoke(c, payload());
      expect(fake.invocations.map((i) => i.fault)).toEqual<Array<FaultMode | null>>([
        'ThrottlingException',
        'InternalFailure',
        'ServiceUnavailable',
        'ServiceUnavailable',
        null,
      ]);
    });

    it('lets the SDK retry server faults but not ModelError', async () => {
      fake.setBehaviour({ failNext: ['ServiceUnavailable'] });
      const out = await invoke(client(fake, testCredentials, { maxAttempts: 3 }), payload());
      expect(out.$metadata.attempts).toBe(2);
      expect(fake.requests).toBe(2);
      fake.reset();
      fake.setBehaviour({ failNext: ['ModelError'] });
      const err = await failure(invoke(client(fake, testCredentials, { maxAttempts: 3 }), payload()));
      expect(err.name).toBe('ModelError');
      expect(fake.requests).toBe(1);
    });
  });

  describe('concurrency and cancellation', () => {
    it('counts concurrent calls in maxInFlight', async () => {
      // Answers held far longer than the test: the three are in flight together however slow the machine.
      fake.setBehaviour({ latencyMs: 50_000 });
      const c = client(fake);
      const controller = new AbortController();
      const calls = [1, 2, 3].map((seed) =>
        failure(invoke(c, payload({ seed }), 'sdxl-1-0', 'application/json;png', controller.signal)),
      );
      await fake.waitFor(() => fake.inFlight === 3, 15_000);
      expect(fake.maxInFlight).toBe(3);
      controller.abort();
      expect((await Promise.all(calls)).map((err) => err.name)).toEqual(['AbortError', 'AbortError', 'AbortError']);
      await fake.waitFor(() => fake.inFlight === 0, 15_000);
      expect(fake.maxInFlight).toBe(3);
    });

    it('counts a call the client abandons as aborted', async () => {
      fake.setBehaviour({ latencyMs: 2000 });
      const controller = new AbortController();
      const pending = failure(invoke(client(fake), payload(), 'sdxl-1-0', 'application/json;png', controller.signal));
      await fake.waitFor(() => fake.inFlight === 1 && fake.invocations.length === 1);
      controller.abort();
      const err = await pending;
      expect(err.name).toBe('AbortError');
      await fake.waitFor(() => fake.aborted === 1);
      expect(fake.inFlight).toBe(0);
      expect(fake.invocations[0]?.aborted).toBe(true);
    });

    it('holds invocations past holdAfter until the gate is raised; a held one whose client leaves is aborted', async () => {
      fake.setBehaviour({ holdAfter: 0 });
      const c = client(fake);
      const seeds: number[] = [];
      const first = invoke(c, payload({ seed: 1 })).then((out) => seeds.push(artifactsOf(out.Body)[0]?.seed ?? NaN));
      await fake.waitFor(() => fake.invocations.length === 1);
      const controller = new AbortController();
      const second = failure(invoke(c, payload({ seed: 2 }), 'sdxl-1-0', 'application/json;png', controller.signal));
      // Both held: in flight together, neither answered.
      await fake.waitFor(() => fake.invocations.length === 2 && fake.inFlight === 2);
      expect(seeds).toEqual([]);

      fake.setBehaviour({ holdAfter: 1 });
      await first;
      expect(seeds).toEqual([1]);
      expect(fake.invocations[1]?.status).toBeUndefined();
      expect(fake.inFlight).toBe(1);

      controller.abort();
      expect((await second).name).toBe('AbortError');
      await fake.waitFor(() => fake.aborted === 1 && fake.inFlight === 0);
      expect(fake.invocations[1]?.aborted).toBe(true);

      // Lifted: every invocation is answered again.
      fake.setBehaviour({ holdAfter: null });
      expect(artifactsOf((await invoke(c, payload({ seed: 4 }))).Body)[0]?.seed).toBe(4);
    });
  });

  describe('endpoint list', () => {
    it('answers ValidationError for an endpoint that does not exist or is not serving', async () => {
      const strict = await startFakeSageMaker({ endpoints: { 'sdxl-prod': 'InService', 'sdxl-new': 'Creating' } });
      try {
        const c = client(strict);
        expect(artifactsOf((await invoke(c, payload(), 'sdxl-prod')).Body)).toHaveLength(1);
        const missing = await failure(invoke(c, payload(), 'nope'));
        expect(missing.name).toBe('ValidationError');
        expect(missing.$metadata.httpStatusCode).toBe(400);
        expect(missing.message).toBe('Endpoint nope of account 123456789012 not found.');
        expect((await failure(invoke(c, payload(), 'sdxl-new'))).name).toBe('ValidationError');
        strict.setEndpoint('sdxl-new', 'InService');
        expect(artifactsOf((await invoke(c, payload(), 'sdxl-new')).Body)).toHaveLength(1);
        expect(strict.endpoints.get('sdxl-prod')?.status).toBe('InService');
      } finally {
        await strict.close();
      }
    });
  });
});
