import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpBridge } from '../../src-renderer/bridge/http';
import { startServer } from '../../src-main/server/server';
import type { RunningServer } from '../../src-main/server/server';
import { renderPng } from '../fakes/png';
import { startCore } from '../support/core';
import { openSession } from '../support/web-session';

const core = startCore();
let server: RunningServer;
let session: string;

beforeAll(async () => {
  server = await startServer({ core, rendererDir: core.dataDir, port: 0 });
  session = await openSession(server);
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('cookie', session);
    return realFetch(new URL(String(input), server.url), { ...init, headers });
  });
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await server.close();
  core.close();
});

describe('the editor over the web bridge (real server)', () => {
  it('sends a layer image as bytes, and saves and reads the document', async () => {
    const bridge = createHttpBridge();
    const added = await bridge.addEditorImage({ bytes: new Uint8Array(renderPng(30, 20, 4)), name: 'a.png' });
    if (!added.ok) throw new Error(added.error.message);
    expect(added.value).toMatchObject({ width: 30, height: 20, url: `/images/editor/${added.value.imageId}.png` });
    const served = await fetch(added.value.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');

    const layer = {
      id: added.value.imageId,
      kind: 'image' as const,
      name: 'a',
      imageId: added.value.imageId,
      width: 30,
      height: 20,
      x: 1,
      y: 2,
      scaleX: 1,
      scaleY: 1,
      visible: true,
      locked: false,
    };
    expect(await bridge.saveEditorDocument({ version: 1, layers: [layer] })).toEqual({
      ok: true,
      value: { layers: 1 },
    });
    const read = await bridge.getEditorDocument();
    expect(read.ok && read.value.document.layers).toEqual([layer]);
  });
});
