import type { ConnectionCheck, ConnectionReport } from '../../../src-shared/aws';
import type { Settings } from '../../../src-shared/settings';
import { CloudStore } from '../cloud/store';
import type { AwsClients } from './clients';
import { describeEndpoint } from './endpoints';
import { errorContextFor, mapAwsError } from './map-error';
import type { ErrorContext } from './map-error';

export { errorContextFor } from './map-error';

const failed = (target: string, label: string, error: unknown, ctx: ErrorContext): ConnectionCheck => {
  const e = mapAwsError(error, ctx);
  return { target, label, ok: false, code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
};

/** Credentials: who the profile signs in as (STS GetCallerIdentity), or the Cognito pool's guest identity. */
export const checkCredentials = async (clients: AwsClients, s: Settings): Promise<ConnectionCheck> => {
  const ctx = errorContextFor(s);
  if (s.credentialsMode === 'cognito') {
    const label = `Cognito Identity Pool ${s.identityPoolId}`;
    try {
      const { GetIdCommand } = await import('@aws-sdk/client-cognito-identity');
      await (await clients.cognitoIdentity()).send(new GetIdCommand({ IdentityPoolId: s.identityPoolId }));
      const creds = await clients.credentials()();
      const flow = s.cognitoClassicFlow ? 'basic (classic) flow' : 'enhanced flow';
      return {
        target: 'credentials',
        label,
        ok: true,
        message: `Guest credentials issued (${flow}, key ${creds.accessKeyId.slice(0, 4)}…).`,
      };
    } catch (error) {
      return failed('credentials', label, error, ctx);
    }
  }
  if (s.credentialsMode === 'signIn') {
    const label = `Identity Pool ${s.identityPoolId}`;
    try {
      const creds = await clients.credentials()();
      return {
        target: 'credentials',
        label,
        ok: true,
        message: `Credentials issued for your identity ${clients.identityId() ?? ''} (key ${creds.accessKeyId.slice(0, 4)}…).`,
      };
    } catch (error) {
      return failed('credentials', label, error, ctx);
    }
  }
  const label = `AWS profile "${s.profile}"`;
  try {
    const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const who = await (await clients.sts()).send(new GetCallerIdentityCommand({}));
    return {
      target: 'credentials',
      label,
      ok: true,
      message: `Signed in as ${who.Arn ?? 'unknown'} (account ${who.Account ?? '?'}).`,
    };
  } catch (error) {
    return failed('credentials', label, error, ctx);
  }
};

/** One model's endpoint: DescribeEndpoint, and whether it can serve. */
export const checkEndpoint = async (
  clients: AwsClients,
  s: Settings,
  endpointName: string,
): Promise<ConnectionCheck> => {
  const target = `endpoint:${endpointName}`;
  const label = `Endpoint ${endpointName}`;
  try {
    const state = await describeEndpoint(await clients.sagemaker(), endpointName);
    const ok = state.status === 'InService';
    const check: ConnectionCheck = {
      target,
      label,
      ok,
      status: state.status,
      message: ok
        ? 'InService: ready for requests.'
        : state.status === 'Failed'
          ? `Failed${state.failureReason ? `: ${state.failureReason}` : '.'}`
          : `${state.status}: not serving requests yet.`,
    };
    if (!ok && state.status !== 'Failed')
      check.hint = 'Endpoints take several minutes to create or update; test again later.';
    return check;
  } catch (error) {
    const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
    const message = error instanceof Error ? error.message : '';
    if (
      (name === 'AccessDeniedException' || name === 'AccessDenied') &&
      s.credentialsMode === 'cognito' &&
      !s.cognitoClassicFlow
    ) {
      return {
        target,
        label,
        ok: true,
        status: 'unchecked',
        message:
          'Not checked: Cognito guest credentials (enhanced flow) may only call InvokeEndpoint, not DescribeEndpoint.',
        hint: 'Dreaming still works; turn on the classic flow to let the guest role check endpoints.',
      };
    }
    if (name === 'ValidationException' && /could not find/i.test(message)) {
      return {
        target,
        label,
        ok: false,
        status: 'missing',
        message: `No endpoint named ${endpointName} in ${s.region}.`,
        hint: 'Check the name and region, or use Discover to pick one.',
      };
    }
    return failed(target, label, error, errorContextFor(s, endpointName));
  }
};

const errorName = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';

/** Cloud history: the bucket answers HeadBucket and the table has the right key schema. */
export const checkStorage = async (clients: AwsClients, s: Settings): Promise<ConnectionCheck[]> => {
  const store = new CloudStore(clients, { bucket: s.generationsBucket, table: s.generationsTable });
  const ctx = errorContextFor(s);
  const bucket = async (): Promise<ConnectionCheck> => {
    const label = `S3 bucket ${s.generationsBucket}`;
    try {
      await store.checkBucket();
      return { target: 'bucket', label, ok: true, message: 'Reachable.' };
    } catch (error) {
      const name = errorName(error);
      if (name === 'NotFound' || name === 'NoSuchBucket') {
        return {
          target: 'bucket',
          label,
          ok: false,
          status: 'missing',
          message: `No bucket named ${s.generationsBucket}.`,
          hint: 'Create it (see the README) or fix the name.',
        };
      }
      if (name === 'Forbidden' || name === 'AccessDenied' || name === '403') {
        return {
          target: 'bucket',
          label,
          ok: false,
          message: 'Access to the bucket is denied.',
          hint: 'The credentials need s3:ListBucket on the bucket, and s3:GetObject, s3:PutObject, s3:DeleteObject on its objects.',
        };
      }
      return failed('bucket', label, error, ctx);
    }
  };
  const table = async (): Promise<ConnectionCheck> => {
    const label = `DynamoDB table ${s.generationsTable}`;
    try {
      const problem = await store.checkTable();
      return problem
        ? {
            target: 'table',
            label,
            ok: false,
            message: problem,
            hint: 'Create a table with that key (see the README).',
          }
        : { target: 'table', label, ok: true, message: 'Key schema project_id + generation_id: fine.' };
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') {
        return {
          target: 'table',
          label,
          ok: false,
          status: 'missing',
          message: `No table named ${s.generationsTable} in ${s.region}.`,
          hint: 'Create it (see the README) or fix the name.',
        };
      }
      return failed('table', label, error, ctx);
    }
  };
  return Promise.all([bucket(), table()]);
};

/** Everything "Test connection" shows: credentials first, then each configured endpoint. */
export const checkConnection = async (
  clients: AwsClients,
  s: Settings,
  signInChecks?: (s: Settings) => Promise<ConnectionCheck[]>,
): Promise<ConnectionReport> => {
  const signIn = s.credentialsMode === 'signIn' && signInChecks ? await signInChecks(s) : [];
  if (!signIn.every((c) => c.ok)) return { ok: false, checks: signIn };
  const credentials = await checkCredentials(clients, s);
  const endpoints = credentials.ok
    ? await Promise.all(
        [...new Set(s.models.map((m) => m.endpointName))].map((name) => checkEndpoint(clients, s, name)),
      )
    : [];
  const storage = credentials.ok && s.storeGeneratedImages ? await checkStorage(clients, s) : [];
  const checks = [...signIn, credentials, ...endpoints, ...storage];
  return { ok: checks.every((c) => c.ok), checks };
};
