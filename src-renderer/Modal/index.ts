import { useEffect, useRef } from 'react';
import type { RefObject } from 'react';

export interface ModalHandlers {
  onCancel: () => void;
  onClose: () => void;
}

/** Gives focus back to what opened the dialog when it was left nowhere (on <body>). */
const returnFocus = (opener: Element | null): void => {
  window.requestAnimationFrame(() => {
    const focused = document.activeElement;
    if (focused && focused !== document.body) return;
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
  });
};

/**
 * Binds a modal <dialog> (through `dialog`) to a store's `open` flag; spread the handlers on it.
 * - Escape (the dialog's `cancel` event) reports the close at once, so a key pressed right
 *   after it sees the dialog closed; the `close` event only comes a task later.
 * - `openings` counts open requests: a request that lands while React still shows the last
 *   state (closed and reopened between two renders) still opens the dialog.
 * - A `close` event from a dialog that has been opened again since is stale and ignored.
 * - Focus returns to what opened the dialog, also when the dialog left the page before the
 *   browser could restore it (a dialog unmounted on Escape).
 */
export const useModal = (
  dialog: RefObject<HTMLDialogElement | null>,
  open: boolean,
  openings: number,
  onClosed: () => void,
): ModalHandlers => {
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      opener.current = document.activeElement;
      element.showModal();
    }
    if (!open && element.open) element.close();
  }, [dialog, open, openings]);
  return {
    onCancel: () => {
      onClosed();
      returnFocus(opener.current);
    },
    onClose: () => {
      if (!dialog.current?.open) {
        onClosed();
        returnFocus(opener.current);
      }
    },
  };
};
