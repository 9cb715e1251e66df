import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/** safeStorage as the recorder sees it: async calls only (the sync API throws), a reversible "cipher". */
const storage = vi.hoisted(() => {
  const state = { available: true, backend: 'gnome_libsecret', rotateNext: false, asyncCalls: [] as string[] };
  const seal = (text: string): Buffer => Buffer.from(`sealed:${Buffer.from(text).toString('base64')}`);
  const open = (data: Buffer): string => {
    const text = data.toString();
    if (!text.startsWith('sealed:'))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(text.slice('sealed:'.length), 'base64').toString();
  };
  const sync = (): never => {
    throw new Error('the synchronous safeStorage API is removed in Electron 46');
  };
  const safeStorage = {
    isAsyncEncryptionAvailable: () => {
      state.asyncCalls.push('isAsyncEncryptionAvailable');
      return Promise.resolve(state.available);
    },
    getSelectedStorageBackend: () => state.backend,
    encryptStringAsync: (text: string) => {
      state.asyncCalls.push('encryptStringAsync');
      return Promise.resolve(seal(text));
    },
    decryptStringAsync: (data: Buffer) => {
      state.asyncCalls.push('decryptStringAsync');
      const shouldReEncrypt = state.rotateNext;
      state.rotateNext = false;
      return Promise.resolve({ result: open(data), shouldReEncrypt });
    },
    encryptString: sync,
    decryptString: sync,
    isEncryptionAvailable: sync,
  };
  return { state, module: { safeStorage } };
});
vi.mock('electron', () => ({ ...storage.module, default: storage.module }));

const { SafeStorageSecretStore } = await import('../../src-main/shell/secret-store');

describe('the refresh token in the desktop app', () => {
  it('is encrypted by the system through safeStorage’s asynchronous API, in a 0600 file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'studio-secret-')), 'sign-in.token');
    const store = await SafeStorageSecretStore.open(file);
    expect(store?.kind).toBe('os');
    expect(await store?.load()).toBeUndefined();
    await store?.save('refresh-token-1');
    expect(readFileSync(file, 'utf8')).not.toContain('refresh-token-1');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await store?.load()).toBe('refresh-token-1');
    await store?.clear();
    expect(await store?.load()).toBeUndefined();
    expect(storage.state.asyncCalls).toContain('encryptStringAsync');
    expect(storage.state.asyncCalls).toContain('decryptStringAsync');
  });

  it('stores again under a rotated key, and says when Linux has only the hard-coded key', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'studio-secret-')), 'sign-in.token');
    const store = await SafeStorageSecretStore.open(file);
    await store?.save('refresh-token-2');
    const encrypts = storage.state.asyncCalls.filter((c) => c === 'encryptStringAsync').length;
    storage.state.rotateNext = true;
    expect(await store?.load()).toBe('refresh-token-2');
    expect(storage.state.asyncCalls.filter((c) => c === 'encryptStringAsync').length).toBe(encrypts + 1);

    storage.state.backend = 'basic_text';
    const weak = await SafeStorageSecretStore.open(file);
    expect(weak?.kind).toBe(process.platform === 'linux' ? 'weak-os' : 'os');
    storage.state.available = false;
    expect(await SafeStorageSecretStore.open(file)).toBeUndefined();
  });
});
