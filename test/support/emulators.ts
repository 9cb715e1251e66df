import { mkdtempSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import type { SettingsInput } from '../../src-shared/settings';
import { sharedCredentials } from '../fakes/keys';

/** s3rver only accepts this key pair; the SageMaker fake accepts it too, so one profile serves every service. */
export const emulatorCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
sharedCredentials.register({ ...emulatorCredentials });

export type ProxyMode = 'pass' | 'refuse' | 'error500' | 'throttle-dynamodb' | 'access-denied-dynamodb';

/**
 * An HTTP proxy in front of an emulator that a test can turn hostile: drop connections,
 * answer 500, or answer DynamoDB's throttling / access-denied errors.
 */
export class FaultProxy {
  mode: ProxyMode = 'pass';
  requests = 0;
  /** When set, this many more requests pass, then the proxy switches to `refuse`. */
  refuseAfter: number | undefined;
  private server: Server | undefined;
  url = '';

  constructor(private readonly target: () => number) {}

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests++;
    if (this.refuseAfter !== undefined) {
      if (this.refuseAfter <= 0) {
        this.mode = 'refuse';
        this.refuseAfter = undefined;
      } else this.refuseAfter--;
    }
    if (this.mode === 'refuse') {
      req.socket.destroy();
      return;
    }
    if (this.mode === 'error500') {
      res.writeHead(500, { 'Content-Type': 'application/xml' });
      res.end('<Error><Code>InternalError</Code><Message>injected</Message></Error>');
      return;
    }
    if (this.mode === 'throttle-dynamodb' || this.mode === 'access-denied-dynamodb') {
      const [type, message] =
        this.mode === 'throttle-dynamodb'
          ? ['com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', 'Rate exceeded']
          : ['com.amazon.coral.service#AccessDeniedException', 'User is not authorized to perform: dynamodb:PutItem'];
      res.writeHead(400, {
        'Content-Type': 'application/x-amz-json-1.0',
        'x-amzn-ErrorType': type.split('#')[1] ?? type,
      });
      res.end(JSON.stringify({ __type: type, message }));
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: this.target(), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface Emulators {
  /** URLs the app uses (through the fault proxies). */
  s3Url: string;
  dynamodbUrl: string;
  bucket: string;
  table: string;
  s3Proxy: FaultProxy;
  dynamodbProxy: FaultProxy;
  /** Stops and starts s3rver itself (same port, same data). */
  stopS3(): Promise<void>;
  startS3(): Promise<void>;
  /** Direct clients for a test's own reads and writes (legacy data, checks). */
  s3: S3Client;
  dynamodb: DynamoDBClient;
  close(): Promise<void>;
}

/** s3rver and dynalite on 127.0.0.1 (port 0), a bucket and a table in the browser plugin's schema. */
export const startEmulators = async (
  bucket = 'studio-generations',
  table = 'studio-generations',
): Promise<Emulators> => {
  const directory = mkdtempSync(join(tmpdir(), 'studio-s3rver-'));
  let s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  let s3Port = (await s3rver.run()).port;
  const dyn = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dyn.listen(0, '127.0.0.1', () => resolve()));
  const dynPort = (dyn.address() as AddressInfo).port;

  const s3Proxy = new FaultProxy(() => s3Port);
  const dynamodbProxy = new FaultProxy(() => dynPort);
  await Promise.all([s3Proxy.start(), dynamodbProxy.start()]);

  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${s3Port}`,
    forcePathStyle: true,
    credentials: emulatorCredentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const dynamodb = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${dynPort}`,
    credentials: emulatorCredentials,
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await dynamodb.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [
        { AttributeName: 'project_id', KeyType: 'HASH' },
        { AttributeName: 'generation_id', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'project_id', AttributeType: 'S' },
        { AttributeName: 'generation_id', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return {
    s3Url: s3Proxy.url,
    dynamodbUrl: dynamodbProxy.url,
    bucket,
    table,
    s3Proxy,
    dynamodbProxy,
    s3,
    dynamodb,
    stopS3: async () => {
      await s3rver.close();
    },
    startS3: async () => {
      s3rver = new S3rver({ port: s3Port, address: '127.0.0.1', silent: true, directory });
      s3Port = (await s3rver.run()).port;
    },
    close: async () => {
      s3.destroy();
      dynamodb.destroy();
      await Promise.all([s3Proxy.close(), dynamodbProxy.close()]);
      await s3rver.close().catch(() => undefined);
      await new Promise<void>((resolve) => dyn.close(() => resolve()));
    },
  };
};

/** Settings for cloud storage on these emulators, with the model on `fake` (a SageMaker runtime URL). */
export const cloudSettings = (
  emu: Emulators,
  runtimeUrl: string,
  project: string,
  endpointName = 'sdxl-cloud',
): SettingsInput => ({
  models: [{ modelId: 'sdxl', endpointName }],
  storeGeneratedImages: true,
  generationsBucket: emu.bucket,
  generationsTable: emu.table,
  projectId: project,
  endpointOverrides: { sagemakerRuntime: runtimeUrl, s3: emu.s3Url, dynamodb: emu.dynamodbUrl },
});
