import type { Generation } from '../../src-shared/generation';
import { generationNotice } from '../../src-shared/notices';
import { getBridge } from '../bridge';
import { findBlock } from '../Generation/streamStore';
import { isDesktop } from '../History/library';
import { openImage } from '../Viewer/store';

/**
 * "Your images are ready" when a Dream finishes while the window is in the
 * background. The desktop app's main process shows a native notification, so
 * this only runs in web mode, with the browser's Notification API.
 */

const askedKey = 'studio.notifications.asked';

const supported = (): boolean => typeof window.Notification === 'function';

/** Ask once, on the first Dream (a moment the user expects to wait), never on load. */
export const askForNotificationsOnce = (): void => {
  if (!supported() || Notification.permission !== 'default') return;
  try {
    if (localStorage.getItem(askedKey)) return;
    localStorage.setItem(askedKey, new Date().toISOString());
  } catch {
    // No storage: asking at most once per session is still polite.
  }
  void isDesktop().then((desktop) => {
    if (!desktop) void Notification.requestPermission().catch(() => undefined);
  });
};

const inBackground = (): boolean => document.visibilityState === 'hidden' || !document.hasFocus();

const notify = (generation: Generation): void => {
  const { title, body } = generationNotice(generation);
  const note = new Notification(title, { body, tag: generation.id });
  note.onclick = () => {
    window.focus();
    const first = generation.images[0];
    if (first) openImage(first.id);
    note.close();
  };
};

let unsubscribe: (() => void) | undefined;

/** Watch this window's generations and notify when one finishes out of sight. */
export const watchGenerations = (): void => {
  if (unsubscribe || !supported()) return;
  unsubscribe = getBridge().onEvent((event) => {
    if (event.type !== 'generation.done') return;
    // Only what this window asked for; other windows notify for their own.
    if (!event.clientId || !findBlock(event.clientId)) return;
    if (Notification.permission !== 'granted' || !inBackground()) return;
    void isDesktop().then((desktop) => {
      if (!desktop) notify(event.generation);
    });
  });
};
