import { useSyncExternalStore } from 'react';

/**
 * A part of the UI that loads on first use, in its own chunk: off the start-up bundle, so
 * the history paints sooner. Its façade stays in the start-up bundle and asks for it.
 */
export interface LazyPart<M> {
  /** Loads the part (once: every caller gets the same promise; a failed load may be tried again). */
  load: () => Promise<M>;
  /** The part, once loaded. */
  loaded: () => M | undefined;
  /** Whether the part has been asked for: render it from then on. */
  useRequested: () => boolean;
}

export const lazyPart = <M>(importer: () => Promise<M>): LazyPart<M> => {
  let part: M | undefined;
  let loading: Promise<M> | undefined;
  let requested = false;
  const listeners = new Set<() => void>();
  const subscribe = (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return {
    load: () => {
      if (!requested) {
        requested = true;
        for (const listener of listeners) listener();
      }
      loading ??= importer().then(
        (loaded) => (part = loaded),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      );
      return loading;
    },
    loaded: () => part,
    useRequested: () => useSyncExternalStore(subscribe, () => requested),
  };
};
