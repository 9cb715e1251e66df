import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpBridge } from '../../src-renderer/bridge/http';
import { startServer } from '../../src-main/server/server';
import type { RunningServer } from '../../src-main/server/server';
import { maxRequestBodyBytes } from '../../src-shared/limits';
import { startCore } from '../support/core';
import { openSession } from '../support/web-session';

const core = startCore();
let server: RunningServer;
let session: string;

beforeAll(async () => {
  server = await startServer({ core, rendererDir: core.dataDir, port: 0 });
  session = await openSession(server);
});
afterAll(async () => {
  await server.close();
  core.close();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** The page's fetch, as the browser runs it: relative URLs on the server's origin, with the browser's cookie if it has one. */
const actAsBrowser = (cookie?: string): void => {
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    if (cookie) headers.set('cookie', cookie);
    return realFetch(new URL(String(input), server.url), { ...init, headers });
  });
};

describe('web mode bridge (real server)', () => {
  it("shows the server's message for an upload over the limit, not that the server cannot be reached", async () => {
    actAsBrowser(session);
    const result = await createHttpBridge().uploadInitImage({
      bytes: new Uint8Array(maxRequestBodyBytes + 1),
      name: 'huge.png',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(result.ok ? '' : result.error.message).toContain('an init image can be at most 20 MB');
  });

  it("shows why the server refused a call, from the refusal's JSON body", async () => {
    actAsBrowser();
    const result = await createHttpBridge().getSettings();
    expect(result).toMatchObject({
      ok: false,
      error: { message: 'Not signed in to this server.', hint: expect.stringContaining('npm run serve') },
    });
  });
});
