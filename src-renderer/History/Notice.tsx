import { useState } from 'react';
import type { ReactElement } from 'react';
import { AlertIcon, CloseIcon } from '../Icon';
import { usePlugin } from '../Plugin';
import { useSearchStore } from './searchStore';

/**
 * Said when the history or the search results are not what was asked for, e.g. the cloud
 * is unreachable and this computer's library is shown instead.
 */
export const HistoryNotice = (): ReactElement | null => {
  const historyNotice = usePlugin((plugin) => plugin.historyNotice);
  const searchNotice = useSearchStore((s) => (s.search ? (s.search.notice ?? '') : undefined));
  const notice = searchNotice ?? historyNotice;
  const [dismissed, setDismissed] = useState<string>();
  if (!notice || notice === dismissed) return null;
  return (
    <div className="ss-notice" role="status" data-testid="history-notice">
      <AlertIcon size={15} className="ss-notice__icon" />
      <span className="ss-notice__text">{notice}</span>
      <button
        type="button"
        className="ss-icon-button ss-notice__close"
        aria-label="Dismiss notice"
        title="Dismiss"
        onClick={() => setDismissed(notice)}
      >
        <CloseIcon size={13} />
      </button>
    </div>
  );
};
