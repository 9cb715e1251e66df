/**
 * The SageMaker control plane (awsJson1_1, `X-Amz-Target: SageMaker.<Op>`)
 * for the fake SageMaker server: ListEndpoints (with real pagination),
 * DescribeEndpoint, DescribeEndpointConfig and ListTags over the same
 * endpoint table InvokeEndpoint uses. Pure functions; the server in
 * sagemaker-endpoint.ts does HTTP, signatures and counting.
 */
import { createHash } from 'node:crypto';
import { AwsError } from './http-util.js';
import { TEST_ACCOUNT_ID } from './keys.js';
import type { PayloadFormat } from './containers.js';

export type EndpointStatus =
  | 'OutOfService'
  | 'Creating'
  | 'Updating'
  | 'SystemUpdating'
  | 'RollingBack'
  | 'InService'
  | 'Deleting'
  | 'Failed'
  | 'UpdateRollbackFailed';

export const ENDPOINT_STATUSES: readonly EndpointStatus[] = [
  'OutOfService',
  'Creating',
  'Updating',
  'SystemUpdating',
  'RollingBack',
  'InService',
  'Deleting',
  'Failed',
  'UpdateRollbackFailed',
];

/** Statuses in which a real endpoint still answers InvokeEndpoint. */
export const SERVING_STATUSES: ReadonlySet<EndpointStatus> = new Set([
  'InService',
  'Updating',
  'SystemUpdating',
  'RollingBack',
  'UpdateRollbackFailed',
]);

export interface FakeEndpoint {
  status: EndpointStatus;
  /** Reported in `x-amzn-invoked-production-variant` and ProductionVariants (default 'AllTraffic'). */
  variant?: string;
  /** Payload format served by the "container" (default 'stability'). */
  format?: PayloadFormat;
  /** Creation time, ISO string or Date (default: when the endpoint was added). */
  creationTime?: string | Date;
  /** Last modification (default: creationTime; bumped by `setEndpoint` status changes). */
  lastModifiedTime?: string | Date;
  /** DescribeEndpoint's FailureReason (default for status Failed: a capacity error). */
  failureReason?: string;
  /** Default `<name>-config`. */
  endpointConfigName?: string;
  /** Default `<name>-model`. */
  modelName?: string;
  /** Default 'ml.g5.2xlarge'. */
  instanceType?: string;
  /** Default 1. */
  instanceCount?: number;
  /** Resource tags answered by ListTags (JumpStart deployments carry `sagemaker-sdk:jumpstart-model-id`). */
  tags?: Record<string, string>;
}

/** A FakeEndpoint with every default filled in. */
export interface ResolvedEndpoint extends FakeEndpoint {
  variant: string;
  format: PayloadFormat;
  creationTime: string;
  lastModifiedTime: string;
  endpointConfigName: string;
  modelName: string;
  instanceType: string;
  instanceCount: number;
  tags: Record<string, string>;
}

export type ControlOperation = 'ListEndpoints' | 'DescribeEndpoint' | 'DescribeEndpointConfig' | 'ListTags';

export const CONTROL_OPERATIONS: readonly ControlOperation[] = [
  'ListEndpoints',
  'DescribeEndpoint',
  'DescribeEndpointConfig',
  'ListTags',
];

/** The IAM action each operation needs (for session-policy checks). */
export const CONTROL_ACTIONS: Record<ControlOperation, string> = {
  ListEndpoints: 'sagemaker:ListEndpoints',
  DescribeEndpoint: 'sagemaker:DescribeEndpoint',
  DescribeEndpointConfig: 'sagemaker:DescribeEndpointConfig',
  ListTags: 'sagemaker:ListTags',
};

export class ControlError extends AwsError {}

const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;

function toIso(v: string | Date | undefined, fallback: string): string {
  if (v === undefined) return fallback;
  const d = typeof v === 'string' ? new Date(v) : v;
  return Number.isNaN(d.getTime()) ? fallback : d.toISOString();
}

export function resolveEndpoint(name: string, e: FakeEndpoint, now = new Date()): ResolvedEndpoint {
  const creationTime = toIso(e.creationTime, now.toISOString());
  return {
    ...e,
    variant: e.variant ?? 'AllTraffic',
    format: e.format ?? 'stability',
    creationTime,
    lastModifiedTime: toIso(e.lastModifiedTime, creationTime),
    endpointConfigName: e.endpointConfigName ?? `${name}-config`,
    modelName: e.modelName ?? `${name}-model`,
    instanceType: e.instanceType ?? 'ml.g5.2xlarge',
    instanceCount: e.instanceCount ?? 1,
    tags: { ...(e.tags ?? {}) },
  };
}

/** awsJson timestamps: epoch seconds (with milliseconds as the fraction). */
function epochSeconds(iso: string): number {
  return new Date(iso).getTime() / 1000;
}

export function endpointArn(region: string, name: string): string {
  // AWS lower-cases the name in endpoint ARNs.
  return `arn:aws:sagemaker:${region}:${TEST_ACCOUNT_ID}:endpoint/${name.toLowerCase()}`;
}

export function endpointConfigArn(region: string, name: string): string {
  return `arn:aws:sagemaker:${region}:${TEST_ACCOUNT_ID}:endpoint-config/${name.toLowerCase()}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validation(message: string): ControlError {
  return new ControlError('ValidationException', message);
}

function constraint(value: unknown, field: string, rule: string): ControlError {
  return validation(
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${rule}`,
  );
}

function requireEndpointName(input: Record<string, unknown>, key: string, field: string): string {
  const v = input[key];
  if (typeof v !== 'string') {
    throw validation(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (v.length > 63) throw constraint(v, field, 'Member must have length less than or equal to 63');
  if (!ENDPOINT_NAME_PATTERN.test(v)) {
    throw constraint(v, field, 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$');
  }
  return v;
}

function optionalTimestamp(input: Record<string, unknown>, key: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw validation(`${key}: expected a timestamp in epoch seconds`);
  return v;
}

/** Where endpoints come from. */
export interface EndpointSource {
  get(name: string): ResolvedEndpoint | undefined;
  all(): Iterable<[string, ResolvedEndpoint]>;
}

// ---------------------------------------------------------------------------
// ListEndpoints

interface PageToken {
  /** Offset of the next item. */
  o: number;
  /** Fingerprint of the query the token belongs to. */
  q: string;
}

function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t), 'utf8').toString('base64');
}

function decodeToken(token: string): PageToken | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (
      isRecord(v) &&
      typeof v['o'] === 'number' &&
      Number.isInteger(v['o']) &&
      v['o'] >= 0 &&
      typeof v['q'] === 'string'
    ) {
      return { o: v['o'], q: v['q'] };
    }
  } catch {
    // fall through
  }
  return undefined;
}

export function listEndpoints(
  source: EndpointSource,
  input: Record<string, unknown>,
  region: string,
): Record<string, unknown> {
  const sortBy = input['SortBy'] ?? 'CreationTime';
  if (sortBy !== 'Name' && sortBy !== 'CreationTime' && sortBy !== 'Status') {
    throw constraint(sortBy, 'sortBy', 'Member must satisfy enum value set: [Name, CreationTime, Status]');
  }
  const sortOrder = input['SortOrder'] ?? 'Descending';
  if (sortOrder !== 'Ascending' && sortOrder !== 'Descending') {
    throw constraint(sortOrder, 'sortOrder', 'Member must satisfy enum value set: [Ascending, Descending]');
  }
  const maxResults = input['MaxResults'] ?? 10;
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults))
    throw constraint(maxResults, 'maxResults', 'Member must be an integer');
  if (maxResults < 1) throw constraint(maxResults, 'maxResults', 'Member must have value greater than or equal to 1');
  if (maxResults > 100) throw constraint(maxResults, 'maxResults', 'Member must have value less than or equal to 100');
  const nameContains = input['NameContains'];
  if (nameContains !== undefined && nameContains !== null) {
    if (typeof nameContains !== 'string' || !/^[a-zA-Z0-9-]+$/.test(nameContains) || nameContains.length > 63) {
      throw constraint(nameContains, 'nameContains', 'Member must satisfy regular expression pattern: [a-zA-Z0-9-]+');
    }
  }
  const statusEquals = input['StatusEquals'];
  if (statusEquals !== undefined && statusEquals !== null) {
    if (typeof statusEquals !== 'string' || !(ENDPOINT_STATUSES as readonly string[]).includes(statusEquals)) {
      throw constraint(
        statusEquals,
        'statusEquals',
        `Member must satisfy enum value set: [${ENDPOINT_STATUSES.join(', ')}]`,
      );
    }
  }
  const createdBefore = optionalTimestamp(input, 'CreationTimeBefore');
  const createdAfter = optionalTimestamp(input, 'CreationTimeAfter');
  const modifiedBefore = optionalTimestamp(input, 'LastModifiedTimeBefore');
  const modifiedAfter = optionalTimestamp(input, 'LastModifiedTimeAfter');

  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify([
        sortBy,
        sortOrder,
        nameContains,
        statusEquals,
        createdBefore,
        createdAfter,
        modifiedBefore,
        modifiedAfter,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  let offset = 0;
  const nextToken = input['NextToken'];
  if (nextToken !== undefined && nextToken !== null) {
    const t = typeof nextToken === 'string' ? decodeToken(nextToken) : undefined;
    if (!t || t.q !== fingerprint) throw validation('Invalid pagination token');
    offset = t.o;
  }

  const needle = typeof nameContains === 'string' ? nameContains.toLowerCase() : undefined;
  const rows = [...source.all()].filter(([name, e]) => {
    if (needle !== undefined && !name.toLowerCase().includes(needle)) return false;
    if (statusEquals !== undefined && statusEquals !== null && e.status !== statusEquals) return false;
    const created = epochSeconds(e.creationTime);
    const modified = epochSeconds(e.lastModifiedTime);
    if (createdBefore !== undefined && !(created < createdBefore)) return false;
    if (createdAfter !== undefined && !(created > createdAfter)) return false;
    if (modifiedBefore !== undefined && !(modified < modifiedBefore)) return false;
    if (modifiedAfter !== undefined && !(modified > modifiedAfter)) return false;
    return true;
  });
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort(([an, a], [bn, b]) => {
    let c: number;
    if (sortBy === 'Name') c = byName(an, bn);
    else if (sortBy === 'Status') c = byName(a.status, b.status) || byName(an, bn);
    else c = epochSeconds(a.creationTime) - epochSeconds(b.creationTime) || byName(an, bn);
    return sortOrder === 'Ascending' ? c : -c;
  });
  const page = rows.slice(offset, offset + maxResults);
  const out: Record<string, unknown> = {
    Endpoints: page.map(([name, e]) => ({
      EndpointName: name,
      EndpointArn: endpointArn(region, name),
      CreationTime: epochSeconds(e.creationTime),
      LastModifiedTime: epochSeconds(e.lastModifiedTime),
      EndpointStatus: e.status,
    })),
  };
  if (offset + maxResults < rows.length) out['NextToken'] = encodeToken({ o: offset + maxResults, q: fingerprint });
  return out;
}

// ---------------------------------------------------------------------------
// DescribeEndpoint / DescribeEndpointConfig / ListTags

function defaultFailureReason(e: ResolvedEndpoint): string {
  return (
    `Unable to provision requested ML compute capacity due to InsufficientInstanceCapacity error. ` +
    `Please retry using a different ML instance type or after some time. (${e.instanceType})`
  );
}

export function describeEndpoint(
  source: EndpointSource,
  input: Record<string, unknown>,
  region: string,
): Record<string, unknown> {
  const name = requireEndpointName(input, 'EndpointName', 'endpointName');
  const e = source.get(name);
  if (!e) throw validation(`Could not find endpoint "${name}".`);
  const out: Record<string, unknown> = {
    EndpointName: name,
    EndpointArn: endpointArn(region, name),
    EndpointConfigName: e.endpointConfigName,
    EndpointStatus: e.status,
    CreationTime: epochSeconds(e.creationTime),
    LastModifiedTime: epochSeconds(e.lastModifiedTime),
  };
  if (e.status === 'Failed' || e.status === 'UpdateRollbackFailed')
    out['FailureReason'] = e.failureReason ?? defaultFailureReason(e);
  else if (e.failureReason !== undefined) out['FailureReason'] = e.failureReason;
  // While an endpoint is being created there are no deployed variants yet.
  if (e.status !== 'Creating' && e.status !== 'Failed') {
    const running = SERVING_STATUSES.has(e.status);
    out['ProductionVariants'] = [
      {
        VariantName: e.variant,
        DeployedImages: [
          {
            SpecifiedImage: `763104351884.dkr.ecr.${region}.amazonaws.com/fake-${e.format}-inference:latest`,
            ResolvedImage: `763104351884.dkr.ecr.${region}.amazonaws.com/fake-${e.format}-inference@sha256:${createHash('sha256').update(e.format).digest('hex')}`,
            ResolutionTime: epochSeconds(e.creationTime),
          },
        ],
        CurrentWeight: 1,
        DesiredWeight: 1,
        CurrentInstanceCount: running ? e.instanceCount : 0,
        DesiredInstanceCount: e.instanceCount,
      },
    ];
  }
  return out;
}

export function describeEndpointConfig(
  source: EndpointSource,
  input: Record<string, unknown>,
  region: string,
): Record<string, unknown> {
  const configName = requireEndpointName(input, 'EndpointConfigName', 'endpointConfigName');
  for (const [, e] of source.all()) {
    if (e.endpointConfigName !== configName) continue;
    return {
      EndpointConfigName: configName,
      EndpointConfigArn: endpointConfigArn(region, configName),
      ProductionVariants: [
        {
          VariantName: e.variant,
          ModelName: e.modelName,
          InitialInstanceCount: e.instanceCount,
          InstanceType: e.instanceType,
          InitialVariantWeight: 1,
        },
      ],
      CreationTime: epochSeconds(e.creationTime),
    };
  }
  throw validation(`Could not find endpoint configuration "${configName}".`);
}

export function listTags(
  source: EndpointSource,
  input: Record<string, unknown>,
  region: string,
): Record<string, unknown> {
  const arn = input['ResourceArn'];
  if (typeof arn !== 'string' || arn === '') {
    throw validation(
      "1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null",
    );
  }
  const m = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):(\d{12}):endpoint\/(.+)$/.exec(arn);
  if (!m || m[1] !== region || m[2] !== TEST_ACCOUNT_ID) throw validation(`Resource ${arn} not found.`);
  const lowered = m[3] ?? '';
  for (const [name, e] of source.all()) {
    if (name.toLowerCase() === lowered) {
      return { Tags: Object.entries(e.tags).map(([Key, Value]) => ({ Key, Value })) };
    }
  }
  throw validation(`Resource ${arn} not found.`);
}

export function runControl(
  op: ControlOperation,
  source: EndpointSource,
  input: Record<string, unknown>,
  region: string,
): Record<string, unknown> {
  switch (op) {
    case 'ListEndpoints':
      return listEndpoints(source, input, region);
    case 'DescribeEndpoint':
      return describeEndpoint(source, input, region);
    case 'DescribeEndpointConfig':
      return describeEndpointConfig(source, input, region);
    case 'ListTags':
      return listTags(source, input, region);
  }
}
