import { useState } from 'react';
import type { ReactElement } from 'react';
import type { StableDiffusionSync } from '@stability/stablestudio-plugin';
import { showError, showInfo } from '../Toast';
import { CloudIcon, RefreshIcon } from '../Viewer/icons';
import { retrySync, uploadToCloud } from './library';

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

const UploadButton = ({ generationId }: { generationId: string }): ReactElement => {
  const [busy, setBusy] = useState(false);
  const upload = async (): Promise<void> => {
    setBusy(true);
    try {
      await uploadToCloud([generationId]);
    } catch (error) {
      showError('Could not upload to the cloud', error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="ss-sync__retry"
      aria-label="Upload to the cloud"
      title="Add this generation to the shared cloud history"
      disabled={busy}
      onClick={() => void upload()}
    >
      <CloudIcon size={13} />
      <span aria-hidden="true">Upload</span>
    </button>
  );
};

/** Where a generation stands in the shared cloud history. */
export const SyncBadge = ({
  sync,
  generationId,
}: {
  sync: StableDiffusionSync;
  generationId: string;
}): ReactElement => {
  if (sync.state === 'local') {
    const text = 'Made while cloud storage was off: only on this computer.';
    return (
      <span className="ss-sync ss-sync--local" data-testid="sync-state" data-state="local">
        <span className="ss-sync__badge" title={text}>
          This computer only
          <span className="visually-hidden">: {text}</span>
        </span>
        <UploadButton generationId={generationId} />
      </span>
    );
  }
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
