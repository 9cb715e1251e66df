import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxInitImageBytes, maxRequestBodyBytes } from '../../src-shared/limits';
import { startServer } from '../../src-main/server/server';
import type { RunningServer, ServerOptions } from '../../src-main/server/server';
import { pngOfSize } from '../fakes/png';
import { startFakeSageMaker } from '../fakes/sagemaker-endpoint';
import type { FakeSageMaker } from '../fakes/sagemaker-endpoint';
import { testCredentials } from '../fakes/keys';
import { useAwsProfiles } from '../support/aws-profile';
import { configure, startCore } from '../support/core';
import { openSession } from '../support/web-session';

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

/**
 * POSTs `size` bytes as an init image upload, 1 MB at a time, declaring its length or chunked,
 * and waits for the answer (a reset connection fails the test).
 */
const upload = (server: RunningServer, cookie: string, body: Buffer, chunked: boolean): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/api/uploadInitImage',
        headers: {
          host: `127.0.0.1:${server.port}`,
          cookie,
          'content-type': 'image/png',
          ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    let offset = 0;
    const writeMore = (): void => {
      while (offset < body.length) {
        const piece = body.subarray(offset, offset + 1024 * 1024);
        offset += piece.length;
        if (!req.write(piece)) {
          req.once('drain', writeMore);
          return;
        }
      }
      req.end();
    };
    writeMore();
  });

let server: RunningServer;
let fake: FakeSageMaker;
let cookie: string;
let rendererDir: string;
const core = startCore();

/** Another server on the same core, whose printed lines the test reads. */
const startAnother = async (
  options: Partial<ServerOptions> = {},
): Promise<{ server: RunningServer; printed: string[] }> => {
  const printed: string[] = [];
  const another = await startServer({ core, rendererDir, port: 0, log: (line) => printed.push(line), ...options });
  others.push(another);
  return { server: another, printed };
};
const others: RunningServer[] = [];

beforeAll(async () => {
  useAwsProfiles({ default: testCredentials });
  fake = await startFakeSageMaker();
  await configure(core, {
    models: [{ modelId: 'sdxl', endpointName: 'e1' }],
    endpointOverrides: { sagemakerRuntime: fake.url },
  });
  rendererDir = mkdtempSync(join(tmpdir(), 'studio-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  server = await startServer({ core, rendererDir, port: 0 });
  cookie = await openSession(server);
});
afterAll(async () => {
  await server.close();
  await Promise.all(others.map((s) => s.close()));
  await fake.close();
});

describe('web mode server', () => {
  it('binds loopback and prints a URL with a random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.openUrl).toBe(`${server.url}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(24);
  });

  it('trades the link for an HttpOnly session cookie named after its port, holding a secret other than the token', async () => {
    const { server: a } = await startAnother();
    const answer = await send(a, 'GET', `/?token=${a.token}`);
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe('/');
    const setCookie = String(answer.headers['set-cookie']);
    expect(a.cookieName).toBe(`studio_session_${a.port}`);
    const match = new RegExp(`^studio_session_${a.port}=([^;]+); HttpOnly; SameSite=Strict; Path=/$`).exec(setCookie);
    const secret = match?.[1] ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(24);
    expect(secret).not.toBe(a.token);

    expect((await send(a, 'POST', '/api/getSettings', { cookie: `${a.cookieName}=${secret}` }, '{}')).status).toBe(200);
    // The same secret under any other name is nobody: not the old name, not another port's.
    for (const name of ['studio_token', `studio_session_${a.port + 1}`, `studio_session_${server.port}`]) {
      expect((await send(a, 'POST', '/api/getSettings', { cookie: `${name}=${secret}` }, '{}')).status).toBe(401);
    }
    // The token itself is no session.
    expect((await send(a, 'POST', '/api/getSettings', { cookie: `${a.cookieName}=${a.token}` }, '{}')).status).toBe(
      401,
    );
    // Another instance neither reads this cookie nor takes its secret under its own name.
    expect(server.cookieName).not.toBe(a.cookieName);
    const elsewhere = await send(
      server,
      'POST',
      '/api/getSettings',
      { cookie: `${server.cookieName}=${secret}` },
      '{}',
    );
    expect(elsewhere.status).toBe(401);
  });

  it('opens the app once per link; a used link opened again prints a fresh one, which also works once', async () => {
    const { server: a, printed } = await startAnother();
    expect((await send(a, 'GET', `/?token=${a.token}`)).status).toBe(302);

    const again = await send(a, 'GET', `/?token=${a.token}`);
    expect(again.status).toBe(401);
    expect(again.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(again.body).toContain('This link was already used');
    expect(again.body).toContain('A fresh link has just been printed where <code>npm run serve</code> runs');
    expect(printed).toHaveLength(1);
    const fresh = /^Open (http:\/\/127\.0\.0\.1:\d+\/\?token=(\S+))$/.exec(printed[0] ?? '');
    expect(fresh?.[1]?.startsWith(`${a.url}/?token=`)).toBe(true);
    const freshToken = fresh?.[2] ?? '';
    expect(freshToken).not.toBe(a.token);

    const opened = await send(a, 'GET', `/?token=${freshToken}`);
    expect(opened.status).toBe(302);
    const session = String(opened.headers['set-cookie']).split(';')[0] ?? '';
    expect((await send(a, 'POST', '/api/getSettings', { cookie: session }, '{}')).status).toBe(200);
    expect((await send(a, 'GET', `/?token=${freshToken}`)).status).toBe(401);
    expect(printed).toHaveLength(2);

    // A link that never was one prints nothing.
    const wrong = await send(a, 'GET', '/?token=wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('Wrong link');
    expect(printed).toHaveLength(2);
  });

  it('a used link opened again by a browser with a valid session goes into the app, token stripped', async () => {
    const { server: a, printed } = await startAnother();
    const session = String((await send(a, 'GET', `/?token=${a.token}`)).headers['set-cookie']).split(';')[0] ?? '';
    const again = await send(a, 'GET', `/history?token=${a.token}&view=grid`, { cookie: session });
    expect(again.status).toBe(302);
    expect(again.headers.location).toBe('/history?view=grid');
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(printed).toEqual([]);
  });

  it('a fixed token (--token) is spent after one use too', async () => {
    const { server: a, printed } = await startAnother({ token: 'a-fixed-token-for-this-test' });
    expect(a.openUrl).toBe(`${a.url}/?token=a-fixed-token-for-this-test`);
    expect((await send(a, 'GET', '/?token=a-fixed-token-for-this-test')).status).toBe(302);
    expect((await send(a, 'GET', '/?token=a-fixed-token-for-this-test')).status).toBe(401);
    expect(printed).toHaveLength(1);
  });

  it('rejects API calls and pages without a session', async () => {
    const answer = await send(server, 'POST', '/api/getSettings', {}, '{}');
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    const wrong = await send(server, 'POST', '/api/getSettings', { cookie: `${server.cookieName}=nope` }, '{}');
    expect(wrong.status).toBe(401);
    expect((await send(server, 'POST', '/api/getSettings', { 'x-studio-token': server.token }, '{}')).status).toBe(401);
    const page = await send(server, 'GET', '/');
    expect(page.status).toBe(401);
    expect(page.body).toContain('open the link printed where <code>npm run serve</code> runs');
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
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
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
    expect(image.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect((await send(server, 'GET', url)).status).toBe(401);
    expect((await send(server, 'GET', url.replace(/\/[^/]+\.png$/, '/generation.json'), { cookie })).status).toBe(404);
    // The URL normalises to /settings.json, which is not a renderer file: the app shell comes back, never the settings.
    expect((await send(server, 'GET', '/images/../settings.json', { cookie })).body).toContain('<title>app</title>');
    expect((await send(server, 'GET', '/images/x%2F..%2F..%2Fsettings.json', { cookie })).status).toBe(404);
  });

  it('takes an init image of the largest size allowed', async () => {
    const png = pngOfSize(maxInitImageBytes - 64 * 1024);
    expect(png.length).toBeGreaterThan(16 * 1024 * 1024);
    expect(png.length).toBeLessThanOrEqual(maxInitImageBytes);
    const answer = await upload(server, cookie, png, false);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true, value: { width: 2048 } });
  });

  it.each([
    ['with a Content-Length', false],
    ['chunked', true],
  ])('answers a body over the limit, sent %s, with 413 and the limit in JSON', async (_how, chunked) => {
    const answer = await upload(server, cookie, Buffer.alloc(maxRequestBodyBytes + 1), chunked);
    expect(answer.status).toBe(413);
    const body = JSON.parse(answer.body);
    expect(body).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(body.error.message).toContain('an init image can be at most 20 MB');
    // The server is still there for the next request.
    expect((await send(server, 'POST', '/api/getSettings', { cookie }, '{}')).status).toBe(200);
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

  it('serves the page while the core is still loading; calls wait for it, and a core that failed says why', async () => {
    let provide: (c: typeof core) => void = () => undefined;
    const later = new Promise<typeof core>((resolve) => (provide = resolve));
    const { server: a } = await startAnother({ core: later });
    const opened = await send(a, 'GET', `/?token=${a.token}`);
    expect(opened.status).toBe(302);
    const session = String(opened.headers['set-cookie']).split(';')[0] ?? '';
    expect((await send(a, 'GET', '/', { cookie: session })).body).toContain('<title>app</title>');

    let answered = false;
    const call = send(a, 'POST', '/api/getDefaultCount', { cookie: session }, '').then((r) => {
      answered = true;
      return r;
    });
    // The page answered above, after the call was sent, so the call is waiting for the core.
    expect((await send(a, 'GET', '/assets/app.js', { cookie: session })).status).toBe(200);
    expect(answered).toBe(false);
    provide(core);
    const answer = await call;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true });

    const { server: b } = await startAnother({ core: Promise.reject(new Error('sharp could not load')) });
    const bSession = String((await send(b, 'GET', `/?token=${b.token}`)).headers['set-cookie']).split(';')[0] ?? '';
    const failed = await send(b, 'POST', '/api/getSettings', { cookie: bSession }, '');
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('sharp could not load') },
    });
  });
});
