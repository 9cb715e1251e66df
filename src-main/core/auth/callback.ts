import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { signedInName } from '../../../src-shared/auth';
import { isStudioError, StudioError } from '../errors';
import type { SignedInUser } from './session';

/** The desktop app's own scheme for the sign-in callback (registered with the system, and in the app client). */
export const authScheme = 'stablestudio';
export const schemeCallbackUrl = `${authScheme}://auth/callback`;
/** The callback route, in web mode and on the desktop app's loopback fallback. */
export const authCallbackPath = '/auth/callback';
export const loopbackCallbackUrl = (port: number): string => `http://localhost:${port}${authCallbackPath}`;

/** The sign-in callback among a launch's arguments (Windows and Linux hand the URL to a second instance). */
export const callbackUrlIn = (args: readonly string[]): string | undefined =>
  args.find((arg) => arg.toLowerCase().startsWith(`${schemeCallbackUrl}?`));

/** The browser is opened only on an https sign-in page, or a loopback one (tests, local providers). */
export const isSignInPageAllowed = (url: string): boolean => {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' ||
      (parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname))
    );
  } catch {
    return false;
  }
};

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The small page the browser shows after the callback: signed in (close this tab), or what went wrong. */
export const callbackAnswer = async (
  finish: () => Promise<SignedInUser>,
): Promise<{ status: number; title: string; paragraphs: string[] }> => {
  try {
    const user = await finish();
    return {
      status: 200,
      title: 'Signed in',
      paragraphs: [
        `Signed in as ${escapeHtml(signedInName(user))}.`,
        'You can close this tab and go back to StableStudio.',
      ],
    };
  } catch (error) {
    const e = isStudioError(error) ? error : new StudioError('auth.failed', String(error));
    return {
      status: 400,
      title: 'Sign-in did not finish',
      paragraphs: [escapeHtml(e.message), ...(e.hint ? [escapeHtml(e.hint)] : [])],
    };
  }
};

export const callbackHtml = (title: string, paragraphs: string[]): string =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title} — StableStudio Desktop</title>` +
  `<h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</html>`;

/**
 * The desktop app's loopback fallback (`http://localhost:<port>/auth/callback`) for systems where
 * its scheme is not registered: listens on 127.0.0.1 from Sign in until a sign-in finished there.
 */
export class LoopbackCallback {
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly finish: (callbackUrl: string) => Promise<SignedInUser>) {}

  async listen(port: number): Promise<void> {
    if (this.server && this.port === port) return;
    await this.close();
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', `http://localhost:${port}`);
      const host = req.headers.host ?? '';
      if (req.method !== 'GET' || url.pathname !== authCallbackPath || !/^(localhost|127\.0\.0\.1):\d+$/.test(host)) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('Not found');
        return;
      }
      void callbackAnswer(() => this.finish(url.href)).then(({ status, title, paragraphs }) => {
        res.writeHead(status, {
          'Content-Type': 'text/html; charset=utf-8',
          'Cache-Control': 'no-store',
          'Content-Security-Policy': "default-src 'none'",
        });
        // Signed in: the port is not needed any more (closed once the page is sent).
        if (status === 200) res.once('finish', () => void this.close());
        res.end(callbackHtml(title, paragraphs));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new StudioError(
                'auth.config',
                `Port ${port} for the sign-in callback is in use by another program.`,
                'Choose another loopback port in Settings → Advanced, and add its callback URL to the app client.',
              )
            : error,
        ),
      );
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = port;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
