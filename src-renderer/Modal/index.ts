import { useEffect } from 'react';
import type { RefObject } from 'react';

export interface ModalHandlers {
  onCancel: () => void;
  onClose: () => void;
}

/**
 * Binds a modal <dialog> (through `dialog`) to a store's `open` flag; spread the handlers on it.
 * - Escape (the dialog's `cancel` event) reports the close at once, so a key pressed right
 *   after it sees the dialog closed; the `close` event only comes a task later.
 * - `openings` counts open requests: a request that lands while React still shows the last
 *   state (closed and reopened between two renders) still opens the dialog.
 * - A `close` event from a dialog that has been opened again since is stale and ignored.
 */
export const useModal = (
  dialog: RefObject<HTMLDialogElement | null>,
  open: boolean,
  openings: number,
  onClosed: () => void,
): ModalHandlers => {
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [dialog, open, openings]);
  return {
    onCancel: onClosed,
    onClose: () => {
      if (!dialog.current?.open) onClosed();
    },
  };
};
