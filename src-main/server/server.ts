import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Core } from '../core';
import { contentSecurityPolicy, contentTypeOf, parseImagePath, resolveStaticPath } from '../core/policy';

export interface ServerOptions {
  core: Core;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Access token; random when absent. */
  token?: string;
}

export interface RunningServer {
  url: string;
  /** The URL to open: carries the token once, the server then sets a cookie. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const cookieName = 'studio_token';
const maxBodyBytes = 16 * 1024 * 1024;

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const cookieToken = (req: IncomingMessage): string | undefined => {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === cookieName) return v.join('=');
  }
  return undefined;
};

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new Error('Request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
};

/**
 * Web mode: the same core as the desktop app over HTTP + server-sent events.
 * Loopback by default; every request must carry the token (as a cookie, set when
 * the printed URL is opened); the Host header must name this server.
 */
export const startServer = async (options: ServerOptions): Promise<RunningServer> => {
  const { core, rendererDir } = options;
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const csp = contentSecurityPolicy(false);
  let port = 0;
  const sseClients = new Set<ServerResponse>();

  const unsubscribe = core.studio.subscribe((event) => {
    const data = `data: ${JSON.stringify(event)}\n\n`;
    for (const client of sseClients) client.write(data);
  });

  const allowedHosts = (): Set<string> => new Set([`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`]);

  const serveFile = (res: ServerResponse, path: string, contentType: string, cache: string): void => {
    const size = statSync(path).size;
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': size, 'Cache-Control': cache });
    createReadStream(path).pipe(res);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');

    // DNS-rebinding guard: only answer requests addressed to this server.
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' });
      res.end('Misdirected request');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);

    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && req.method === 'GET') {
      if (!sameSecret(queryToken, token)) {
        res.writeHead(401, { 'Content-Type': 'text/plain' });
        res.end('Wrong access token.');
        return;
      }
      url.searchParams.delete('token');
      res.writeHead(302, {
        'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
      });
      res.end();
      return;
    }

    const presented = cookieToken(req) ?? req.headers['x-studio-token'];
    if (typeof presented !== 'string' || !sameSecret(presented, token)) {
      if (url.pathname.startsWith('/api/')) {
        sendJson(res, 401, {
          ok: false,
          error: {
            code: 'input.invalid',
            message: 'Missing or wrong access token.',
            hint: 'Open the URL that npm run serve printed.',
          },
        });
      } else {
        res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(
          'StableStudio Desktop web mode: open the URL printed by `npm run serve` (it carries the access token).',
        );
      }
      return;
    }

    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        sendJson(res, 405, { ok: false, error: { code: 'input.invalid', message: 'Use POST.' } });
        return;
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().has(origin.replace(/^https?:\/\//, ''))) {
        sendJson(res, 403, { ok: false, error: { code: 'input.invalid', message: 'Cross-origin call refused.' } });
        return;
      }
      let input: unknown;
      try {
        const body = await readBody(req);
        const type = req.headers['content-type'] ?? '';
        if (type.startsWith('image/') || type.startsWith('application/octet-stream')) {
          // Binary uploads (an init image) travel as bytes, never as base64 in JSON.
          const name = req.headers['x-file-name'];
          input = {
            bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
            name: typeof name === 'string' ? decodeURIComponent(name) : '',
          };
        } else {
          input = body.length === 0 ? undefined : (JSON.parse(body.toString('utf8')) as unknown);
        }
      } catch (error) {
        sendJson(res, 400, {
          ok: false,
          error: { code: 'input.invalid', message: `Unreadable request: ${String(error)}` },
        });
        return;
      }
      const result = await core.dispatch(url.pathname.slice('/api/'.length), input);
      sendJson(res, 200, result);
      return;
    }

    if (url.pathname.startsWith('/images/') && req.method === 'GET') {
      const parsed = parseImagePath(url.pathname.slice('/images'.length));
      if (parsed?.variant === 'params.png') {
        const exported = await core.studio.exportImage(parsed);
        if (!exported) {
          res.writeHead(404, { 'Content-Type': 'text/plain' });
          res.end('Not found');
          return;
        }
        res.writeHead(200, {
          'Content-Type': 'image/png',
          'Content-Length': exported.bytes.length,
          'Content-Disposition': `attachment; filename="${exported.filename}"`,
          'Cache-Control': 'no-store',
        });
        res.end(exported.bytes);
        return;
      }
      const found = parsed ? await core.studio.resolveImage(parsed) : undefined;
      if (!found || 'problem' in found) {
        // The reason is the body: the page shows it where the image would be.
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(found?.problem ?? 'Not found');
        return;
      }
      serveFile(res, found.path, contentTypeOf(found.path), 'private, max-age=31536000, immutable');
      return;
    }

    if (req.method !== 'GET') {
      res.writeHead(405);
      res.end();
      return;
    }
    const relative = resolveStaticPath(url.pathname);
    let file = relative ? join(rendererDir, relative) : undefined;
    // Client-side routes fall back to the app shell.
    if (!file || !existsSync(file) || statSync(file).isDirectory()) file = join(rendererDir, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('The renderer is not built: run `npm run build` first.');
      return;
    }
    const isHtml = file.endsWith('.html');
    serveFile(res, file, contentTypeOf(file), isHtml ? 'no-store' : 'public, max-age=3600');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('Request failed', error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: String(error) } });
      else res.end();
    });
  });
  // Generations can take minutes; keep-alive SSE must not be cut.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const base = `http://${host}:${port}`;

  return {
    url: base,
    openUrl: `${base}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const client of sseClients) client.end();
      sseClients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
