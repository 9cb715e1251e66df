import { join } from 'node:path';
import { shell } from 'electron';
import { isSignInPageAllowed, LoopbackCallback, loopbackCallbackUrl, schemeCallbackUrl } from '../core/auth/callback';
import type { AuthOptions } from '../core/auth/service';
import { MemorySecretStore } from '../core/auth/session';
import type { SignedInUser } from '../core/auth/session';
import { StudioError } from '../core/errors';
import { SafeStorageSecretStore } from './secret-store';

/**
 * Sign in with Cognito in the desktop app: the callback through the app's scheme (or the
 * loopback port where the scheme could not be registered), the system browser for the sign-in
 * page (never a web view), and the refresh token kept by the system's keychain (safeStorage).
 */
export const signInOptions = (o: {
  dataDir: string;
  schemeRegistered: boolean;
  finish: (callbackUrl: string) => Promise<SignedInUser>;
}): AuthOptions => {
  const loopback = new LoopbackCallback(o.finish);
  return {
    redirectUri: (s) => (o.schemeRegistered ? schemeCallbackUrl : loopbackCallbackUrl(s.signInLoopbackPort)),
    secretStore: async (remember) =>
      (remember ? await SafeStorageSecretStore.open(join(o.dataDir, 'sign-in.bin')) : undefined) ??
      new MemorySecretStore(),
    openBrowser: async (url) => {
      if (!isSignInPageAllowed(url)) {
        throw new StudioError('auth.config', `The sign-in page ${url} is not an https address.`);
      }
      await shell.openExternal(url);
    },
    beforeSignIn: async (redirectUri) => {
      if (redirectUri.startsWith('http:')) await loopback.listen(Number(new URL(redirectUri).port));
    },
  };
};
