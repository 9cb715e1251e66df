import type { AppError } from './errors';

/** Where a sign-in is remembered between runs (see the main process's SecretStore). */
export type RememberedIn = 'os' | 'weak-os' | 'file' | 'memory';

/** Sign in with Cognito, as the top bar and Settings show it. */
export interface SignInState {
  /**
   * `off`: another credentials mode; `pending`: the browser is open on the sign-in page;
   * `unreachable`: the remembered sign-in could not be checked (the sign-in provider could not be
   * reached): it is kept, and checked again when AWS is next needed.
   */
  status: 'off' | 'signedOut' | 'pending' | 'unreachable' | 'signedIn';
  /** Who is signed in (from the ID token). */
  user?: { sub: string; name?: string; email?: string };
  /** Where the sign-in is kept: `weak-os` is the system's fallback with a fixed key (Linux without a keyring). */
  rememberedIn: RememberedIn;
  /** The callback URL this app signs in with: the app client must allow it exactly. */
  callbackUrl?: string;
  /** Why the last sign-in (or the remembered one) did not work, for the user to act on. */
  error?: AppError;
}

/** What Sign in answers: the URL of the pool's sign-in page, and whether the app opened it (desktop) or the page must. */
export interface SignInStart {
  url: string;
  opened: boolean;
}

/** Who is signed in, as the top bar says it: the name, else the e-mail address, else the subject. */
export const signedInName = (user: NonNullable<SignInState['user']>): string => user.name ?? user.email ?? user.sub;
