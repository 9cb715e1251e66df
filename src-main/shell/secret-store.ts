import { readFile, rm } from 'node:fs/promises';
import { safeStorage } from 'electron';
import { writeFileAtomic } from '../core/fs-atomic';
import type { SecretStore } from '../core/auth/session';

/**
 * The refresh token encrypted by the system (Keychain, DPAPI, the Secret Service / KWallet)
 * through safeStorage's asynchronous API (the synchronous one goes in Electron 46). On Linux
 * without a keyring safeStorage falls back to a hard-coded key: the store then says `weak-os`,
 * and the app tells the user and offers not to remember.
 */
export class SafeStorageSecretStore implements SecretStore {
  private constructor(
    private readonly path: string,
    readonly kind: 'os' | 'weak-os',
  ) {}

  /** The store, or undefined where the system offers no encryption at all. */
  static async open(path: string): Promise<SafeStorageSecretStore | undefined> {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return undefined;
    const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
    return new SafeStorageSecretStore(path, weak ? 'weak-os' : 'os');
  }

  async load(): Promise<string | undefined> {
    let encrypted: Buffer;
    try {
      encrypted = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(encrypted);
    // The system's key changed (rotated, or a keyring appeared): stored again under the new one.
    if (shouldReEncrypt) await this.save(result);
    return result === '' ? undefined : result;
  }

  async save(secret: string): Promise<void> {
    await writeFileAtomic(this.path, await safeStorage.encryptStringAsync(secret));
  }

  clear(): Promise<void> {
    return rm(this.path, { force: true });
  }
}
