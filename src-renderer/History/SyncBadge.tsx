import { useState } from 'react';
import type { ReactElement } from 'react';
import type { StableDiffusionSync } from '@stability/stablestudio-plugin';
import { showError, showInfo } from '../Toast';
import { CloudIcon, RefreshIcon } from '../Viewer/icons';
import { retrySync } from './library';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });

const pendingText = (sync: StableDiffusionSync): string => {
  const parts = ['Saved on this computer, not in the cloud yet.'];
  if (sync.reason) parts.push(`Reason: ${sync.reason}`);
  if (sync.attempts) parts.push(`Tried ${sync.attempts} ${sync.attempts === 1 ? 'time' : 'times'}.`);
  if (sync.nextAttemptAt) parts.push(`Next try at ${timeFormat.format(sync.nextAttemptAt)}.`);
  return parts.join(' ');
};

const RetryButton = (): ReactElement => {
  const [busy, setBusy] = useState(false);
  const retry = async (): Promise<void> => {
    setBusy(true);
    try {
      const pending = await retrySync();
      showInfo(
        'Retrying sync',
        pending === 1 ? '1 item is on its way to the cloud.' : `${pending} items are on their way to the cloud.`,
      );
    } catch (error) {
      showError('Could not retry the sync', error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="ss-sync__retry"
      aria-label="Retry sync"
      title="Retry sync now"
      disabled={busy}
      onClick={() => void retry()}
    >
      <RefreshIcon size={13} />
      <span aria-hidden="true">Retry</span>
    </button>
  );
};

/** Where a generation stands in the shared cloud history. */
export const SyncBadge = ({ sync }: { sync: StableDiffusionSync }): ReactElement => {
  if (sync.state === 'pending') {
    const text = pendingText(sync);
    return (
      <span className="ss-sync ss-sync--pending" data-testid="sync-state" data-state="pending">
        <span className="ss-sync__badge" title={text}>
          <CloudIcon size={13} />
          Pending sync
          <span className="visually-hidden">: {text}</span>
        </span>
        {sync.reason ? (
          <span className="ss-sync__reason" title={text} aria-hidden="true">
            {sync.reason}
          </span>
        ) : null}
        <RetryButton />
      </span>
    );
  }
  const label = sync.state === 'synced' ? 'Synced' : 'Cloud';
  const title = sync.state === 'synced' ? 'Saved to the shared cloud history' : 'From the shared cloud history';
  return (
    <span className="ss-sync ss-sync--ok" data-testid="sync-state" data-state={sync.state} title={title}>
      <CloudIcon size={13} />
      {label}
    </span>
  );
};
