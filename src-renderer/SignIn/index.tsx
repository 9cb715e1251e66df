import './signin.css';
import type { ReactElement } from 'react';
import { signedInName } from '../../src-shared/auth';
import { withHint } from '../../src-shared/errors';
import { signOut, startSignIn, useSignInStore } from './store';

export { followSignIn, startSignIn } from './store';

/** The top bar: who is signed in, with Sign out; Sign in when signed out (e.g. a revoked sign-in). */
export const SignInChip = (): ReactElement | null => {
  const state = useSignInStore((s) => s.state);
  const busy = useSignInStore((s) => s.busy);
  if (state.status === 'off') return null;
  if (state.status === 'signedIn' && state.user) {
    return (
      <div className="ss-signin-chip" data-testid="signed-in">
        <span className="ss-signin-chip__user" title={state.user.email ?? state.user.sub}>
          {signedInName(state.user)}
        </span>
        <button type="button" className="ss-signin-chip__button" disabled={busy} onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    );
  }
  if (state.status === 'unreachable') {
    // Remembered but not checked (no network at start): still signed in as far as anyone knows.
    return (
      <span
        className="ss-signin-chip ss-signin-chip__user"
        data-testid="sign-in-unchecked"
        title={state.error ? withHint(state.error) : undefined}
      >
        Sign-in not checked (offline)
      </span>
    );
  }
  if (state.status === 'pending') {
    return (
      <span className="ss-signin-chip ss-signin-chip__user" data-testid="signing-in">
        Signing in…
      </span>
    );
  }
  return (
    <button
      type="button"
      className="ss-signin-chip__button"
      title={state.error ? `${state.error.message} ${state.error.hint ?? ''}` : 'Sign in with Cognito'}
      disabled={busy}
      onClick={() => void startSignIn()}
    >
      Sign in
    </button>
  );
};

/**
 * Settings → Credentials → Sign in with Cognito: the state, Sign in / Sign out, what went wrong
 * and what to do, and a word when the system keeps the sign-in with a weak key.
 */
export const SignInPanel = ({ beforeSignIn }: { beforeSignIn: () => Promise<boolean> }): ReactElement => {
  const { state, busy, blockedUrl, problem } = useSignInStore();
  const failure = problem ?? (state.status === 'signedOut' || state.status === 'unreachable' ? state.error : undefined);
  return (
    <div className="ss-signin-panel" data-testid="sign-in-panel">
      <div className="ss-signin-panel__row">
        {state.status === 'signedIn' && state.user ? (
          <>
            <span role="status">Signed in as {signedInName(state.user)}</span>
            <button type="button" className="ss-button" disabled={busy} onClick={() => void signOut()}>
              Sign out
            </button>
          </>
        ) : (
          <>
            <span role="status">
              {state.status === 'pending'
                ? 'Finish signing in on the sign-in page (a browser tab).'
                : state.status === 'unreachable'
                  ? 'Remembered, not checked yet.'
                  : 'Not signed in.'}
            </span>
            <button
              type="button"
              className="ss-button ss-button--primary"
              disabled={busy}
              onClick={() =>
                void beforeSignIn().then((ready) => {
                  if (ready) void startSignIn();
                })
              }
            >
              Sign in
            </button>
          </>
        )}
      </div>
      {state.callbackUrl ? (
        <p className="ss-setting__help" data-testid="callback-url">
          Callback URL (allow it exactly in the app client): <code>{state.callbackUrl}</code>. A sign-in page that says{' '}
          <code>redirect_mismatch</code> does not have it.
        </p>
      ) : null}
      {blockedUrl ? (
        <p className="ss-setting__help">
          The browser did not open a new tab:{' '}
          <a href={blockedUrl} target="_blank" rel="noreferrer">
            open the sign-in page
          </a>
          .
        </p>
      ) : null}
      {failure ? (
        <p className="ss-field-error" role="alert" data-testid="sign-in-error">
          {failure.message}
          {failure.hint ? ` ${failure.hint}` : ''}
        </p>
      ) : null}
      {state.rememberedIn === 'weak-os' ? (
        <p className="ss-setting__help ss-setting__help--note" data-testid="weak-storage">
          This system has no keyring, so the remembered sign-in is encrypted with a fixed key that other programs know.
          Turn off “Remember me on this computer” to be signed out when the app quits.
        </p>
      ) : null}
    </div>
  );
};
