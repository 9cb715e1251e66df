import { useState } from 'react';
import type { ReactElement } from 'react';
import { AlertIcon, CloseIcon } from '../Icon';
import { usePlugin } from '../Plugin';

/** Said when the history is not what was asked for, e.g. the cloud is unreachable and local history is shown. */
export const HistoryNotice = (): ReactElement | null => {
  const notice = usePlugin((plugin) => plugin.historyNotice);
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
