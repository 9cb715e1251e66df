import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  ListEndpointsCommand,
  ListTagsCommand,
  paginateListEndpoints,
  SageMakerClient,
  type EndpointSummary,
  type SageMakerClientConfig,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { testCredentials, unknownCredentials, wrongSecretCredentials } from './fakes/keys.js';
import { startFakeSageMaker, type FakeSageMaker } from './fakes/sagemaker-endpoint.js';
import { failure } from './fakes/sdk-helpers.js';

function control(fake: FakeSageMaker, extra: Partial<SageMakerClientConfig> = {}): SageMakerClient {
  return new SageMakerClient({
    endpoint: fake.url,
    region: 'us-east-1',
    credentials: testCredentials,
    maxAttempts: 1,
    ...extra,
  });
}

describe('fake SageMaker control plane with the real SDK', () => {
  let fake: FakeSageMaker;
  let sm: SageMakerClient;

  beforeAll(async () => {
    fake = await startFakeSageMaker({
      endpoints: {
        'sdxl-prod': {
          status: 'InService',
          format: 'stability',
          creationTime: '2024-01-02T03:04:05.678Z',
          instanceType: 'ml.g5.4xlarge',
          tags: { team: 'art' },
        },
        'sd21-old': { status: 'InService', format: 'jumpstart-sd', creationTime: '2023-06-01T00:00:00Z' },
        'sdxl-creating': { status: 'Creating', creationTime: '2024-05-01T00:00:00Z' },
        'sdxl-broken': { status: 'Failed', creationTime: '2024-04-01T00:00:00Z' },
      },
    });
    sm = control(fake);
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  it('lists endpoints newest first with Date timestamps', async () => {
    const out = await sm.send(new ListEndpointsCommand({}));
    const endpoints = out.Endpoints ?? [];
    expect(endpoints.map((e) => e.EndpointName)).toEqual(['sdxl-creating', 'sdxl-broken', 'sdxl-prod', 'sd21-old']);
    const prod = endpoints.find((e) => e.EndpointName === 'sdxl-prod');
    expect(prod?.CreationTime).toBeInstanceOf(Date);
    expect(prod?.CreationTime?.toISOString()).toBe('2024-01-02T03:04:05.678Z');
    expect(prod?.LastModifiedTime).toBeInstanceOf(Date);
    expect(prod?.EndpointStatus).toBe('InService');
    expect(prod?.EndpointArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:endpoint/sdxl-prod');
    expect(out.NextToken).toBeUndefined();
    expect(fake.controlCalls.ListEndpoints).toBe(1);
  });

  it('filters and sorts like AWS', async () => {
    const byName = await sm.send(new ListEndpointsCommand({ SortBy: 'Name', SortOrder: 'Ascending' }));
    expect(byName.Endpoints?.map((e) => e.EndpointName)).toEqual([
      'sd21-old',
      'sdxl-broken',
      'sdxl-creating',
      'sdxl-prod',
    ]);
    const inService = await sm.send(
      new ListEndpointsCommand({ StatusEquals: 'InService', SortBy: 'Name', SortOrder: 'Ascending' }),
    );
    expect(inService.Endpoints?.map((e) => e.EndpointName)).toEqual(['sd21-old', 'sdxl-prod']);
    const named = await sm.send(new ListEndpointsCommand({ NameContains: 'SDXL' }));
    expect(named.Endpoints?.map((e) => e.EndpointName).sort()).toEqual(['sdxl-broken', 'sdxl-creating', 'sdxl-prod']);
    const after = await sm.send(new ListEndpointsCommand({ CreationTimeAfter: new Date('2024-03-01T00:00:00Z') }));
    expect(after.Endpoints?.map((e) => e.EndpointName)).toEqual(['sdxl-creating', 'sdxl-broken']);
  });

  it('refuses bad list parameters with ValidationException', async () => {
    const tooMany = await failure(sm.send(new ListEndpointsCommand({ MaxResults: 101 })));
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.$metadata.httpStatusCode).toBe(400);
    expect(tooMany.message).toContain('less than or equal to 100');
    const badToken = await failure(sm.send(new ListEndpointsCommand({ NextToken: 'garbage' })));
    expect(badToken.name).toBe('ValidationException');
  });

  it('describes an endpoint', async () => {
    const d = await sm.send(new DescribeEndpointCommand({ EndpointName: 'sdxl-prod' }));
    expect(d.EndpointName).toBe('sdxl-prod');
    expect(d.EndpointStatus).toBe('InService');
    expect(d.EndpointConfigName).toBe('sdxl-prod-config');
    expect(d.CreationTime).toBeInstanceOf(Date);
    expect(d.FailureReason).toBeUndefined();
    expect(d.ProductionVariants?.[0]?.VariantName).toBe('AllTraffic');
    expect(d.ProductionVariants?.[0]?.CurrentInstanceCount).toBe(1);

    const cfg = await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: d.EndpointConfigName }));
    expect(cfg.ProductionVariants?.[0]?.InstanceType).toBe('ml.g5.4xlarge');

    const tags = await sm.send(new ListTagsCommand({ ResourceArn: d.EndpointArn }));
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'art' }]);

    const failed = await sm.send(new DescribeEndpointCommand({ EndpointName: 'sdxl-broken' }));
    expect(failed.EndpointStatus).toBe('Failed');
    expect(failed.FailureReason).toMatch(/capacity/i);
    const creating = await sm.send(new DescribeEndpointCommand({ EndpointName: 'sdxl-creating' }));
    expect(creating.ProductionVariants).toBeUndefined();
    expect(fake.controlCalls.DescribeEndpoint).toBe(3);
  });

  it('answers ValidationException for an unknown endpoint', async () => {
    const err = await failure(sm.send(new DescribeEndpointCommand({ EndpointName: 'nope' })));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('Could not find endpoint "nope".');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.$fault).toBe('client');
  });

  it('checks signatures on the control plane', async () => {
    const wrong = await failure(
      control(fake, { credentials: wrongSecretCredentials }).send(new ListEndpointsCommand({})),
    );
    expect(wrong.name).toBe('InvalidSignatureException');
    expect(wrong.$metadata.httpStatusCode).toBe(403);
    const unknown = await failure(
      control(fake, { credentials: unknownCredentials }).send(new ListEndpointsCommand({})),
    );
    expect(unknown.name).toBe('UnrecognizedClientException');
    expect(fake.authFailures).toBe(2);
    expect(fake.controlCalls.ListEndpoints).toBe(2);
  });

  it('injects control-plane faults', async () => {
    fake.setBehaviour({ controlFailNext: ['ThrottlingException', 'AccessDeniedException'] });
    expect((await failure(sm.send(new ListEndpointsCommand({})))).name).toBe('ThrottlingException');
    expect((await failure(sm.send(new ListEndpointsCommand({})))).name).toBe('AccessDeniedException');
    await expect(sm.send(new ListEndpointsCommand({}))).resolves.toBeDefined();
  });

  it('serves runtime and control plane on the same URL', async () => {
    const runtime = new SageMakerRuntimeClient({
      endpoint: fake.url,
      region: 'us-east-1',
      credentials: testCredentials,
      maxAttempts: 1,
    });
    const body = JSON.stringify({ text_prompts: [{ text: 'a cat' }], seed: 5 });
    const out = await runtime.send(
      new InvokeEndpointCommand({
        EndpointName: 'sdxl-prod',
        Body: body,
        ContentType: 'application/json',
        Accept: 'application/json;png',
      }),
    );
    expect(out.ContentType).toBe('application/json');
    const list = await sm.send(new ListEndpointsCommand({}));
    expect(list.Endpoints?.length).toBe(4);
    expect(fake.invocations).toHaveLength(1);
    expect(fake.controlCalls.ListEndpoints).toBe(1);
  });

  it('keeps creation time and bumps LastModifiedTime on status changes', async () => {
    fake.setEndpoint('sdxl-creating', 'InService');
    const d = await sm.send(new DescribeEndpointCommand({ EndpointName: 'sdxl-creating' }));
    expect(d.EndpointStatus).toBe('InService');
    expect(d.CreationTime?.toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect((d.LastModifiedTime?.getTime() ?? 0) > (d.CreationTime?.getTime() ?? 0)).toBe(true);
    fake.setEndpoint('sdxl-creating', 'Creating');
  });
});

describe('ListEndpoints pagination', () => {
  let fake: FakeSageMaker;
  let sm: SageMakerClient;

  beforeAll(async () => {
    fake = await startFakeSageMaker({ endpoints: {} });
    sm = control(fake);
  });
  afterAll(async () => {
    await fake.close();
  });

  it('pages 25 endpoints 10 at a time with paginateListEndpoints', async () => {
    const names = fake.addEndpoints(25, 'sdxl-bulk');
    expect(names).toHaveLength(25);
    expect(names[0]).toBe('sdxl-bulk-000');
    const pages: EndpointSummary[][] = [];
    for await (const page of paginateListEndpoints(
      { client: sm, pageSize: 10 },
      { SortBy: 'Name', SortOrder: 'Ascending' },
    )) {
      pages.push(page.Endpoints ?? []);
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    const seen = pages.flat().map((e) => e.EndpointName);
    expect(seen).toEqual(names);
    expect(new Set(seen).size).toBe(25);
    expect(fake.controlCalls.ListEndpoints).toBe(3);
    const requested = fake.controlLog.map((c) => c.input);
    expect(requested[0]).toMatchObject({ MaxResults: 10 });
    expect(requested[1]).toMatchObject({ MaxResults: 10, NextToken: expect.any(String) as unknown });
  });

  it('defaults to 10 per page, newest first, and allows 100', async () => {
    const first = await sm.send(new ListEndpointsCommand({}));
    expect(first.Endpoints).toHaveLength(10);
    expect(first.Endpoints?.[0]?.EndpointName).toBe('sdxl-bulk-024');
    expect(first.NextToken).toEqual(expect.any(String));
    const all = await sm.send(new ListEndpointsCommand({ MaxResults: 100 }));
    expect(all.Endpoints).toHaveLength(25);
    expect(all.NextToken).toBeUndefined();
  });

  it('refuses a token from a different query', async () => {
    const first = await sm.send(new ListEndpointsCommand({ SortBy: 'Name' }));
    const err = await failure(sm.send(new ListEndpointsCommand({ SortBy: 'Status', NextToken: first.NextToken })));
    expect(err.name).toBe('ValidationException');
  });
});
