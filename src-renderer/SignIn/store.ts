import { create } from 'zustand';
import { describeError } from '@stability/stablestudio-plugin';
import type { SignInState } from '../../src-shared/auth';
import * as appServices from '../app-services';

interface SignInView {
  state: SignInState;
  /** Sign in or out is being asked for. */
  busy: boolean;
  /** Web mode: the sign-in page's URL, when the browser blocked the new tab (shown as a link). */
  blockedUrl?: string;
  /** Sign in or Sign out failed before the pool's page was reached (shown where the button is). */
  problem?: { message: string; hint?: string };
}

export const useSignInStore = create<SignInView>()(() => ({
  state: { status: 'off', rememberedIn: 'memory' },
  busy: false,
}));

const set = useSignInStore.setState;

let following = false;

/** Reads the state once and follows its changes; `onUserChange` runs when the signed-in user changes. */
export const followSignIn = (onUserChange: () => void): void => {
  if (following) return;
  following = true;
  const take = (state: SignInState): void => {
    const before = useSignInStore.getState().state.user?.sub;
    set({ state, ...(state.status === 'pending' ? {} : { blockedUrl: undefined }) });
    if (state.user?.sub !== before) onUserChange();
  };
  appServices.onSignInChanged(take);
  void appServices.getSignInState().then(
    (state) => set({ state }),
    () => undefined,
  );
};

let desktop: boolean | undefined;
void appServices.isDesktop().then((d) => (desktop = d));

/**
 * Sign in: the desktop app opens the system browser itself; in web mode this page opens the
 * pool's sign-in page in a new tab (never inside the app: RFC 8252), or offers a link when the
 * browser blocks it.
 */
export const startSignIn = async (): Promise<void> => {
  if (useSignInStore.getState().busy) return;
  set({ busy: true, problem: undefined, blockedUrl: undefined });
  try {
    const { url, opened } = await appServices.signIn();
    if (!opened && !desktop && window.open(url, '_blank') === null) set({ blockedUrl: url });
  } catch (error) {
    const { message, hint } = describeError(error);
    set({ problem: hint ? { message, hint } : { message } });
  } finally {
    set({ busy: false });
  }
};

export const signOut = async (): Promise<void> => {
  if (useSignInStore.getState().busy) return;
  set({ busy: true, problem: undefined });
  try {
    set({ state: await appServices.signOut() });
  } catch (error) {
    const { message, hint } = describeError(error);
    set({ problem: hint ? { message, hint } : { message } });
  } finally {
    set({ busy: false });
  }
};
