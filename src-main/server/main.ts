import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Core } from '../core';
import { defaultDataDir, settingsFileName } from '../core/paths';
import { authCallbackPath, startServer } from './server';

/**
 * The core, imported when first needed rather than before listening: it brings the AWS SDK,
 * sharp and zod (most of start-up's CPU), while the browser can already load the page.
 */
const loadCore = async (dataDir: string, port: number): Promise<Core> => {
  const [{ createCore }, { JsonFileSettingsBackend }] = await Promise.all([
    import('../core'),
    import('../core/settings'),
  ]);
  const core = createCore({
    dataDir,
    settingsBackend: new JsonFileSettingsBackend(join(dataDir, settingsFileName)),
    imageUrl: (generationId, file) => `/images/${generationId}/${file}`,
    // The pool's sign-in page comes back to this server (register this URL exactly in the app client).
    auth: { redirectUri: () => `http://localhost:${port}${authCallbackPath}` },
  });
  if (core.settings.recovery) console.warn(core.settings.recovery);
  return core;
};

/** `npm run serve`: web mode on 127.0.0.1; prints a one-use link (the server prints a fresh one when a used link is opened again). */
const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.STUDIO_PORT ?? '5174' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      token: { type: 'string' },
    },
  });
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  // Resolved once listening: the page is served meanwhile.
  let provide: (core: Promise<Core>) => void = () => undefined;
  const core = new Promise<Core>((resolve) => (provide = (c) => resolve(c)));

  const host = values.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    console.warn(
      `Warning: listening on ${host}; anyone who can reach it and has the token can use your AWS credentials.`,
    );
  }
  const server = await startServer({
    core,
    rendererDir: join(import.meta.dirname, '..', 'renderer'),
    host,
    port: Number(values.port),
    ...(values.token ? { token: values.token } : {}),
  });
  console.log(`StableStudio Desktop (web mode) — library in ${dataDir}`);
  console.log(`Open ${server.openUrl}`);

  const stop = (): void => {
    void core.then((c) => c.close()).catch(() => undefined);
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const loading = loadCore(dataDir, server.port);
  provide(loading);
  await loading;
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
