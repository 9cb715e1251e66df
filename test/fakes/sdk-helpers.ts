/** Helpers for tests that drive the fakes with the real AWS SDK. */

/** What the tests read off an error thrown by an SDK client. */
export interface SdkError {
  name: string;
  message: string;
  /** Who is to blame, as the SDK says ('client' or 'server'). */
  $fault: string;
  $metadata: { httpStatusCode?: number; attempts?: number };
}

function isSdkError(e: unknown): e is SdkError {
  return e instanceof Error && '$metadata' in e;
}

/** The SDK error `p` rejects with; throws if `p` resolves or rejects with anything else. */
export async function failure(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (e) {
    if (isSdkError(e)) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** A private identity-ID cache for fromCognitoIdentityPool: the SDK's default in-memory cache is shared by the whole process. */
export function freshCache(): {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  removeItem(k: string): void;
} {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}
