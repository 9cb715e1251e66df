/**
 * The generations bucket may live in another region than the endpoints. S3 answers a request
 * signed for the wrong region with a redirect naming the right one; the app follows it.
 * A tiny S3 stand-in checks which region each request was signed for.
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src-main/core/aws/clients';
import { checkStorage } from '../../src-main/core/aws/connection';
import { CloudStore } from '../../src-main/core/cloud/store';
import { StateStore } from '../../src-main/core/state-store';
import { defaultSettings } from '../../src-shared/settings';
import type { Settings } from '../../src-shared/settings';
import { testCredentials } from '../fakes/keys';
import { useAwsProfiles } from '../support/aws-profile';
import { tempDataDir } from '../support/core';

const bucketRegion = 'eu-west-1';
const seen: Array<{ method: string; path: string; region: string }> = [];
const stored = new Map<string, Buffer>();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const region = /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
    seen.push({ method: req.method ?? '', path: req.url ?? '', region });
    if (region !== bucketRegion) {
      res.writeHead(301, { 'Content-Type': 'application/xml', 'x-amz-bucket-region': bucketRegion });
      res.end(
        req.method === 'HEAD'
          ? undefined
          : '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PermanentRedirect</Code>' +
              '<Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message>' +
              '</Error>',
      );
      return;
    }
    if (req.method === 'PUT') stored.set((req.url ?? '').split('?')[0] ?? '', Buffer.concat(chunks));
    res.writeHead(200, { ETag: '"0"', 'x-amz-bucket-region': bucketRegion });
    res.end();
  });
});

let url = '';
beforeAll(async () => {
  useAwsProfiles({ default: testCredentials });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const settings = (): Settings => ({
  ...defaultSettings(),
  region: 'us-east-1',
  generationsBucket: 'team-generations',
  generationsTable: 'generations',
  endpointOverrides: { ...defaultSettings().endpointOverrides, s3: url },
});

describe('a generations bucket in another region', () => {
  it('uploads after following S3’s redirect to the bucket’s region', async () => {
    const s = settings();
    const clients = new AwsClients(s, new StateStore(join(tempDataDir(), 'state.json')));
    const store = new CloudStore(clients, { bucket: s.generationsBucket, table: s.generationsTable });
    await store.putImage('p/g/i.png', Buffer.from('png bytes'), 'image/png', { seed: '1' });
    expect(seen.map((r) => [r.method, r.region])).toEqual([
      ['PUT', 'us-east-1'],
      ['PUT', 'eu-west-1'],
    ]);
    expect(stored.get('/team-generations/p/g/i.png')?.toString()).toBe('png bytes');
  });

  it('passes the bucket check of Test connection', async () => {
    seen.length = 0;
    const s = settings();
    const checks = await checkStorage(new AwsClients(s, new StateStore(join(tempDataDir(), 'state.json'))), s);
    expect(checks.find((c) => c.target === 'bucket')).toMatchObject({ ok: true });
    expect(seen.filter((r) => r.method === 'HEAD').map((r) => r.region)).toContain('eu-west-1');
  });
});
