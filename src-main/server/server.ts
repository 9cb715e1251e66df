import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fail } from '../../src-shared/errors';
import { maxRequestBodyBytes } from '../../src-shared/limits';
import type { Core } from '../core';
import { contentSecurityPolicy, contentTypeOf, resolveStaticPath } from '../core/policy';
import { authCallbackPath, callbackAnswer } from '../core/auth/callback';
import { WebAccess } from './access';
import { cookieValue, readBody, sendJson, sendPage, tooLarge } from './http';

export interface ServerOptions {
  /**
   * The core, or the promise of it: web mode starts listening (and serving the page) while the
   * core and the AWS SDK load; calls and image requests wait for it.
   */
  core: Core | Promise<Core>;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** The first link's token (random when absent); like any link's, it opens the app once. */
  token?: string;
  /** Where the server's messages go (a fresh link, when a used one is opened again); console.log by default. */
  log?: (line: string) => void;
}

/** Where the pool's sign-in page sends the browser back: `http://localhost:<port>/auth/callback`. */
export { authCallbackPath };

export interface RunningServer {
  url: string;
  /** The first URL to open: it carries a one-use token, which the server trades for a session cookie. */
  openUrl: string;
  port: number;
  /** The first link's token. */
  token: string;
  /** The session cookie's name: one per port, so servers on other ports neither read nor overwrite it. */
  cookieName: string;
  close(): Promise<void>;
}

/**
 * Web mode: the same core as the desktop app over HTTP + server-sent events.
 * Loopback by default; the printed link opens the app once, trading its token for a
 * session cookie that every later request must carry; the Host header must name this server.
 */
export const startServer = async (options: ServerOptions): Promise<RunningServer> => {
  const { rendererDir } = options;
  const core = Promise.resolve(options.core);
  // A core that failed to load answers every call with why (the process reports it and exits).
  core.catch(() => undefined);
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => console.log(line));
  const access = new WebAccess();
  const csp = contentSecurityPolicy(false);
  let port = 0;
  let base = '';
  const cookieName = (): string => `studio_session_${port}`;
  const linkWith = (token: string): string => `${base}/?token=${token}`;
  const sseClients = new Set<ServerResponse>();

  let closed = false;
  let unsubscribe = (): void => undefined;
  void core.then(
    (c) => {
      if (closed) return;
      unsubscribe = c.events.subscribe((event) => {
        const data = `data: ${JSON.stringify(event)}\n\n`;
        for (const client of sseClients) client.write(data);
      });
    },
    () => undefined,
  );

  const allowedHosts = (): Set<string> => new Set([`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`]);

  const serveFile = (res: ServerResponse, path: string, headers: Record<string, string>): void => {
    res.writeHead(200, { ...headers, 'Content-Length': statSync(path).size });
    createReadStream(path).pipe(res);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    // No other origin may embed what this server answers (images included), nor share a browsing context with the page.
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');

    // DNS-rebinding guard: only answer requests addressed to this server.
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' });
      res.end('Misdirected request');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);

    const signedIn = access.isSession(cookieValue(req, cookieName()));
    const linkToken = url.searchParams.get('token');
    if (linkToken !== null && req.method === 'GET') {
      url.searchParams.delete('token');
      const into = url.pathname + url.search;
      const session = access.redeem(linkToken);
      if (session !== undefined) {
        res.writeHead(302, {
          'Set-Cookie': `${cookieName()}=${session}; HttpOnly; SameSite=Strict; Path=/`,
          Location: into,
        });
        res.end();
      } else if (signedIn) {
        // The link was used (by this browser, most likely): it is in already.
        res.writeHead(302, { Location: into });
        res.end();
      } else if (access.wasSpent(linkToken)) {
        log(`Open ${linkWith(access.issue())}`);
        sendPage(res, 401, 'This link was already used', [
          'Each link printed by <code>npm run serve</code> opens StableStudio Desktop once.',
          'A fresh link has just been printed where <code>npm run serve</code> runs: open that one.',
        ]);
      } else {
        sendPage(res, 401, 'Wrong link', [
          'This link does not open this server. Open the link printed where <code>npm run serve</code> runs.',
        ]);
      }
      return;
    }

    // Sign in with Cognito returns here from the pool's sign-in page: a top-level navigation from
    // another site, so without the session cookie (SameSite=Strict). Only the state of a sign-in
    // this server started, once, completes anything.
    if (url.pathname === authCallbackPath && req.method === 'GET') {
      const c = await core;
      const { status, title, paragraphs } = await callbackAnswer(() => c.auth.finish(url.href));
      sendPage(res, status, title, paragraphs);
      return;
    }

    if (!signedIn) {
      if (url.pathname.startsWith('/api/')) {
        sendJson(
          res,
          401,
          fail({
            code: 'input.invalid',
            message: 'Not signed in to this server.',
            hint: 'Open the link printed by `npm run serve` (opening a used link again prints a fresh one).',
          }),
        );
      } else {
        sendPage(res, 401, 'Open the printed link', [
          'StableStudio Desktop web mode: open the link printed where <code>npm run serve</code> runs.',
          'Each link opens it once; opening a used link again prints a fresh one there.',
        ]);
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
        sendJson(res, 405, fail({ code: 'input.invalid', message: 'Use POST.' }));
        return;
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().has(origin.replace(/^https?:\/\//, ''))) {
        sendJson(res, 403, fail({ code: 'input.invalid', message: 'Cross-origin call refused.' }));
        return;
      }
      let input: unknown;
      try {
        const body = await readBody(req, maxRequestBodyBytes);
        if (body === undefined) {
          sendJson(res, 413, fail(tooLarge));
          return;
        }
        const type = req.headers['content-type'] ?? '';
        if (type.startsWith('image/') || type.startsWith('application/octet-stream')) {
          // Binary uploads (an init image) travel as bytes, never as base64 in JSON.
          // Its other fields (a raw upload's size) come as JSON in a header; the contract checks them.
          const name = req.headers['x-file-name'];
          const fields = req.headers['x-input'];
          const rest: unknown = typeof fields === 'string' ? JSON.parse(decodeURIComponent(fields)) : {};
          input = {
            ...(typeof rest === 'object' && rest !== null && !Array.isArray(rest) ? rest : {}),
            bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
            name: typeof name === 'string' ? decodeURIComponent(name) : '',
          };
        } else {
          input = body.length === 0 ? undefined : (JSON.parse(body.toString('utf8')) as unknown);
        }
      } catch (error) {
        sendJson(res, 400, fail({ code: 'input.invalid', message: `Unreadable request: ${String(error)}` }));
        return;
      }
      const result = await (await core).dispatch(url.pathname.slice('/api/'.length), input);
      sendJson(res, 200, result);
      return;
    }

    if (url.pathname.startsWith('/images/') && req.method === 'GET') {
      const answer = await (await core).images.serve(url.pathname.slice('/images'.length));
      if ('file' in answer.body) serveFile(res, answer.body.file, answer.headers);
      else {
        const body = 'bytes' in answer.body ? answer.body.bytes : answer.body.text;
        res.writeHead(answer.status, { ...answer.headers, 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      }
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
    serveFile(res, file, {
      'Content-Type': contentTypeOf(file),
      'Cache-Control': isHtml ? 'no-store' : 'public, max-age=3600',
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('Request failed', error);
      if (!res.headersSent) sendJson(res, 500, fail({ code: 'internal', message: String(error) }));
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
  base = `http://${host}:${port}`;
  const token = access.issue(options.token);

  return {
    url: base,
    openUrl: linkWith(token),
    port,
    token,
    cookieName: cookieName(),
    close: async () => {
      closed = true;
      unsubscribe();
      for (const client of sseClients) client.end();
      sseClients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
