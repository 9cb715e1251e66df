import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { protocol } from 'electron';
import type { Core } from '../core';
import {
  appScheme,
  contentSecurityPolicy,
  contentTypeOf,
  imageScheme,
  parseImagePath,
  resolveStaticPath,
} from '../core/policy';

/** Must run before `app.ready`: both schemes behave like https (secure, standard, fetchable). */
export const registerSchemes = (): void => {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: imageScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
};

const notFound = (): Response => new Response('Not found', { status: 404 });

/** app://studio/… serves the built renderer with the CSP header; studio-image://library/… serves library images. */
export const handleProtocols = (core: Core, rendererDir: string): void => {
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
    const parsed = parseImagePath(new URL(request.url).pathname);
    if (parsed?.variant === 'params.png') {
      const exported = await core.studio.exportImage(parsed);
      if (!exported) return notFound();
      return new Response(exported.bytes, {
        headers: { 'Content-Type': 'image/png', 'Content-Disposition': `attachment; filename="${exported.filename}"` },
      });
    }
    const found = parsed ? await core.studio.resolveImage(parsed) : undefined;
    // The reason is the body: the page shows it where the image would be.
    if (!found || 'problem' in found)
      return new Response(found?.problem ?? 'Not found', {
        status: 404,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
      });
    return new Response(await readFile(found.path), {
      headers: {
        'Content-Type': contentTypeOf(found.path),
        'Cache-Control': 'max-age=31536000',
      },
    });
  });
};
