import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { protocol } from 'electron';
import type { Core } from '../core';
import { appScheme, contentSecurityPolicy, contentTypeOf, imageScheme, resolveStaticPath } from '../core/policy';

/** Must run before `app.ready`: both schemes behave like https (secure, standard, fetchable). */
export const registerSchemes = (): void => {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: imageScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
};

const notFound = (): Response => new Response('Not found', { status: 404 });

/** app://studio/… serves the built renderer with the CSP header; studio-image://library/… serves library images. */
export const handleProtocols = (core: Core | Promise<Core>, rendererDir: string): void => {
  const loaded = Promise.resolve(core);
  const csp = contentSecurityPolicy(false);
  protocol.handle(appScheme, async (request) => {
    const relative = resolveStaticPath(new URL(request.url).pathname);
    if (!relative) return notFound();
    try {
      const body = await readFile(join(rendererDir, relative));
      return new Response(body, {
        headers: {
          'Content-Type': contentTypeOf(relative),
          'Content-Security-Policy': csp,
        },
      });
    } catch {
      return notFound();
    }
  });
  protocol.handle(imageScheme, async (request) => {
    const answer = await (await loaded).images.serve(new URL(request.url).pathname);
    const body =
      'file' in answer.body
        ? await readFile(answer.body.file)
        : 'bytes' in answer.body
          ? answer.body.bytes
          : answer.body.text;
    return new Response(body, { status: answer.status, headers: answer.headers });
  });
};
