import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../core';
import { defaultDataDir, settingsFileName } from '../core/paths';
import { JsonFileSettingsBackend } from '../core/settings';
import { startServer } from './server';

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
  const core = createCore({
    dataDir,
    settingsBackend: new JsonFileSettingsBackend(join(dataDir, settingsFileName)),
    imageUrl: (generationId, file) => `/images/${generationId}/${file}`,
  });
  if (core.settings.recovery) console.warn(core.settings.recovery);

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
    core.close();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
