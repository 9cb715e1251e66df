import { isDesktop, onDreamFinished } from '../app-services';
import type { FinishedNotice } from '../app-services';
import { isOwnRequest, onDreamStart } from '../Generation';
import { openImage } from '../Viewer';

/**
 * "Your images are ready" when a Dream finishes while the window is in the
 * background. The desktop app's main process shows a native notification, so
 * this only runs in web mode, with the browser's Notification API.
 */

const askedKey = 'studio.notifications.asked';

const supported = (): boolean => typeof window.Notification === 'function';

/** Ask once, on the first Dream (a moment the user expects to wait), never on load. */
const askForNotificationsOnce = (): void => {
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

const notify = ({ title, body, imagesID, firstImageID }: FinishedNotice): void => {
  const note = new Notification(title, { body, tag: imagesID });
  note.onclick = () => {
    window.focus();
    if (firstImageID) openImage(firstImageID);
    note.close();
  };
};

let unsubscribe: (() => void) | undefined;

/** Watch this window's generations and notify when one finishes out of sight. */
export const watchGenerations = (): void => {
  if (unsubscribe || !supported()) return;
  const stopAsking = onDreamStart(askForNotificationsOnce);
  const stopWatching = onDreamFinished((notice) => {
    // Only what this window asked for; other windows notify for their own.
    if (!notice.requestID || !isOwnRequest(notice.requestID)) return;
    if (Notification.permission !== 'granted' || !inBackground()) return;
    void isDesktop().then((desktop) => {
      if (!desktop) notify(notice);
    });
  });
  unsubscribe = () => {
    stopAsking();
    stopWatching();
  };
};
