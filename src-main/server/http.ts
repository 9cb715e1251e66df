import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppError, Result } from '../../src-shared/errors';
import { maxInitImageBytes, maxRequestBodyBytes, megabytes } from '../../src-shared/limits';

/** The small pieces of HTTP web mode writes by hand: cookies, bodies within a limit, JSON and page answers. */

export const cookieValue = (req: IncomingMessage, name: string): string | undefined => {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
};

/**
 * The request body, or undefined when it is over `limit`: the rest is then read and thrown away,
 * so that the client, still sending, gets the answer instead of a reset connection.
 */
export const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > limit) {
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        chunks.length = 0;
        resolve(undefined); // at once: the answer need not wait for the rest
      }
    });
    req.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });

export const tooLarge: AppError = {
  code: 'input.invalid',
  message: `The request is too large: the server takes at most ${megabytes(maxRequestBodyBytes)}, and an init image can be at most ${megabytes(maxInitImageBytes)}.`,
  hint: 'Use a smaller image.',
};

/** Every JSON answer is a contract Result: an operation's value, or `{ ok: false, error }`. */
export const sendJson = (res: ServerResponse, status: number, body: Result<unknown>): void => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
};

/** A short page for a person who opened a link that does not (or no longer) let them in. */
export const sendPage = (res: ServerResponse, status: number, title: string, paragraphs: string[]): void => {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title} — StableStudio Desktop</title>` +
      `<h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</html>`,
  );
};
