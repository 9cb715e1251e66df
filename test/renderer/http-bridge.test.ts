import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
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

  it('sends raw pixels as the body with their size beside it, and the server keeps them as a PNG', async () => {
    actAsBrowser(session);
    const bridge = createHttpBridge();
    // 3 × 2 RGB: six distinct pixels, so rows and columns cannot be mixed up unnoticed.
    const bytes = new Uint8Array([...Array(18).keys()].map((i) => i * 13));
    const result = await bridge.uploadPixels({ bytes, width: 3, height: 2, channels: 3, name: 'box-image.png' });
    if (!result.ok) throw new Error(result.error.message);
    expect([result.value.width, result.value.height]).toEqual([3, 2]);
    // Answered at once; the file follows the encoding.
    const file = await vi.waitFor(() => readFileSync(join(core.dataDir, 'uploads', `${result.value.id}.png`)));
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    expect([...data]).toEqual([...bytes]);
    // The size travels beside the body: a wrong one is refused, not guessed.
    const wrong = await bridge.uploadPixels({ bytes, width: 2, height: 3, channels: 1, name: '' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
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
