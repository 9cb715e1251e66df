import type { ReactElement } from 'react';
import { cancelUpscale, dismissUpscale, isUpscaling, useUpscaleRun } from './upscale';

/**
 * The running upscale's progress (tile by tile) with Cancel, then its outcome with Dismiss, over
 * the top of the canvas. The live region is always there (empty and unseen when idle), so what
 * it says is read out politely as it changes.
 */
export const UpscaleStatus = (): ReactElement => {
  const run = useUpscaleRun();
  const busy = isUpscaling(run);
  return (
    <div
      className={`ss-edit-upscale${run ? '' : ' ss-edit-upscale--idle'}`}
      data-testid="upscale"
      data-state={run?.state ?? 'idle'}
    >
      <span className="ss-edit-upscale__message" role="status" data-testid="upscale-status">
        {run?.message ?? ''}
      </span>
      {busy ? (
        <button
          type="button"
          className="ss-edit-save__retry"
          aria-label="Cancel upscale"
          disabled={run?.cancelRequested}
          onClick={() => void cancelUpscale()}
        >
          Cancel
        </button>
      ) : null}
      {run && !busy ? (
        <button type="button" className="ss-edit-save__retry" onClick={dismissUpscale}>
          Dismiss
        </button>
      ) : null}
    </div>
  );
};
