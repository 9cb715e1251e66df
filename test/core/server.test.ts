import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src-main/server/server';
import type { RunningServer } from '../../src-main/server/server';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { testCredentials } from '../fakes/keys';
import { useAwsProfiles } from '../support/aws-profile';
import { configure, startCore } from '../support/core';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP so the Host header and cookies are exactly what the test says. */
const send = (
  server: RunningServer,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });

let server: RunningServer;
let fake: FakeSageMaker;
let cookie: string;
const core = startCore();

beforeAll(async () => {
  useAwsProfiles({ default: testCredentials });
  fake = await startFakeSageMaker();
  await configure(core, {
    models: [{ modelId: 'sdxl', endpointName: 'e1' }],
    endpointOverrides: { sagemakerRuntime: fake.url },
  });
  const rendererDir = mkdtempSync(join(tmpdir(), 'studio-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  server = await startServer({ core, rendererDir, port: 0 });
  cookie = `studio_token=${server.token}`;
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

describe('web mode server', () => {
  it('binds loopback and prints a URL with a random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.openUrl).toBe(`${server.url}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(24);
  });

  it('trades the token in the URL for an HttpOnly cookie', async () => {
    const answer = await send(server, 'GET', `/?token=${server.token}`);
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe('/');
    expect(String(answer.headers['set-cookie'])).toMatch(/studio_token=.+; HttpOnly; SameSite=Strict/);
    expect((await send(server, 'GET', '/?token=wrong')).status).toBe(401);
  });

  it('rejects API calls without the token', async () => {
    const answer = await send(server, 'POST', '/api/getSettings', {}, '{}');
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false });
    expect((await send(server, 'POST', '/api/getSettings', { cookie: 'studio_token=nope' }, '{}')).status).toBe(401);
    expect((await send(server, 'GET', '/')).status).toBe(401);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const answer = await send(server, 'POST', '/api/getSettings', { cookie, host: 'evil.example' }, '{}');
    expect(answer.status).toBe(421);
  });

  it('refuses cross-origin API calls', async () => {
    const answer = await send(server, 'POST', '/api/getSettings', { cookie, origin: 'https://evil.example' }, '{}');
    expect(answer.status).toBe(403);
  });

  it('dispatches contract operations and validates their input', async () => {
    const settings = JSON.parse((await send(server, 'POST', '/api/getSettings', { cookie }, '{}')).body);
    expect(settings).toMatchObject({ ok: true, value: { region: 'us-east-1' } });
    const bad = JSON.parse((await send(server, 'POST', '/api/listGenerations', { cookie }, '{"limit": -1}')).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    const unknown = JSON.parse((await send(server, 'POST', '/api/dropTables', { cookie }, '{}')).body);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect((await send(server, 'POST', '/api/getSettings', { cookie }, '{not json')).status).toBe(400);
  });

  it('serves the app with a CSP header, and images only by known IDs', async () => {
    const page = await send(server, 'GET', '/', { cookie });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await send(server, 'GET', '/assets/app.js', { cookie })).body).toBe('console.log(1)');
    expect((await send(server, 'GET', '/../../etc/passwd', { cookie })).body).toContain('<title>app</title>');

    const result = JSON.parse(
      (await send(server, 'POST', '/api/generate', { cookie }, JSON.stringify({ input: { prompt: 'x' }, count: 1 })))
        .body,
    );
    expect(result.ok).toBe(true);
    const url: string = result.value.images[0].url;
    const image = await send(server, 'GET', url, { cookie });
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect((await send(server, 'GET', url)).status).toBe(401);
    expect((await send(server, 'GET', url.replace(/\/[^/]+\.png$/, '/generation.json'), { cookie })).status).toBe(404);
    // The URL normalises to /settings.json, which is not a renderer file: the app shell comes back, never the settings.
    expect((await send(server, 'GET', '/images/../settings.json', { cookie })).body).toContain('<title>app</title>');
    expect((await send(server, 'GET', '/images/x%2F..%2F..%2Fsettings.json', { cookie })).status).toBe(404);
  });

  it('streams progress events to subscribers', async () => {
    const events: string[] = [];
    // The server subscribes the stream before it writes ': connected', so the generation starts only after that.
    let connected!: () => void;
    const subscribed = new Promise<void>((r) => (connected = r));
    const done = new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/events',
          headers: { host: `127.0.0.1:${server.port}`, cookie },
        },
        (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            for (const line of chunk.split('\n')) {
              if (line.startsWith(': connected')) connected();
              if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)).type);
            }
            if (events.includes('generation.done')) {
              req.destroy();
              resolve();
            }
          });
        },
      );
      req.on('error', (e) => (events.includes('generation.done') ? resolve() : reject(e)));
      req.end();
    });
    await subscribed;
    await send(server, 'POST', '/api/generate', { cookie }, JSON.stringify({ input: { prompt: 'y' }, count: 1 }));
    await done;
    expect(events).toEqual(['generation.started', 'image.ready', 'generation.done']);
  });
});
