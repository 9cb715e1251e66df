import { useState } from 'react';
import type { ReactElement } from 'react';
import type { StableDiffusionSync } from '@stability/stablestudio-plugin';
import { showError, showInfo } from '../Toast';
import { retrySync, uploadToCloud } from '../app-services';
import { CloudIcon, RefreshIcon } from '../Icon';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });

const pendingText = (sync: StableDiffusionSync): string => {
  const parts = ['Saved on this computer, not in the cloud yet.'];
  if (sync.reason) parts.push(`Reason: ${sync.reason}`);
  if (sync.attempts) parts.push(`Tried ${sync.attempts} ${sync.attempts === 1 ? 'time' : 'times'}.`);
  if (sync.nextAttemptAt) parts.push(`Next try at ${timeFormat.format(sync.nextAttemptAt)}.`);
  return parts.join(' ');
};

/** A small pill button next to the badge that runs `action`, disabled while it runs; failures become a toast. */
const SyncAction = ({
  label,
  title,
  text,
  icon,
  failure,
  action,
}: {
  label: string;
  title: string;
  text: string;
  icon: ReactElement;
  failure: string;
  action: () => Promise<void>;
}): ReactElement => {
  const [busy, setBusy] = useState(false);
  const run = async (): Promise<void> => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      showError(failure, error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="ss-sync__retry"
      aria-label={label}
      title={title}
      disabled={busy}
      onClick={() => void run()}
    >
      {icon}
      <span aria-hidden="true">{text}</span>
    </button>
  );
};

const retry = async (): Promise<void> => {
  const pending = await retrySync();
  showInfo(
    'Retrying sync',
    pending === 1 ? '1 item is on its way to the cloud.' : `${pending} items are on their way to the cloud.`,
  );
};

const RetryButton = (): ReactElement => (
  <SyncAction
    label="Retry sync"
    title="Retry sync now"
    text="Retry"
    icon={<RefreshIcon size={13} />}
    failure="Could not retry the sync"
    action={retry}
  />
);

const UploadButton = ({ generationId }: { generationId: string }): ReactElement => (
  <SyncAction
    label="Upload to the cloud"
    title="Add this generation to the shared cloud history"
    text="Upload"
    icon={<CloudIcon size={13} />}
    failure="Could not upload to the cloud"
    action={async () => {
      await uploadToCloud([generationId]);
    }}
  />
);

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
