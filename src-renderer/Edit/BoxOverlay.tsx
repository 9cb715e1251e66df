import type { ReactElement } from 'react';
import { acceptResult, cancelBox, discardResults, dreamInBox, stepResult, useRunStore } from './dream';
import { ChevronIcon } from './icons';
import type { Box, EditorView } from './model';
import { selectLayer } from './store';

const kindWords = { img2img: 'image to image', inpaint: 'inpainting', outpaint: 'outpainting' } as const;

/** One box's controls and results, over the canvas where the box is. */
const BoxControls = ({ box, view, selected }: { box: Box; view: EditorView; selected: boolean }): ReactElement => {
  const run = useRunStore((s) => s.runs[box.id]);
  const busy = run?.state === 'preparing' || run?.state === 'running';
  const shown = run?.results[run.index];
  const count = run?.results.length ?? 0;
  const status =
    run?.state === 'preparing'
      ? 'Preparing the box…'
      : run?.state === 'running'
        ? `Dreaming (${run.kind ? kindWords[run.kind] : ''})… ${count} of ${run.count}`
        : run?.state === 'cancelled'
          ? 'Cancelled'
          : undefined;
  return (
    <div
      className={`ss-box${selected ? ' ss-box--selected' : ''}`}
      role="group"
      aria-label={`Dream box ${box.width}×${box.height}`}
      data-testid="dream-box"
      data-box={`${box.x},${box.y},${box.width},${box.height}`}
      data-state={run?.state ?? 'idle'}
      data-kind={run?.kind ?? ''}
      style={{
        left: box.x * view.scale + view.x,
        top: box.y * view.scale + view.y,
        width: box.width * view.scale,
        height: box.height * view.scale,
      }}
    >
      {shown ? (
        <img
          className="ss-box__result"
          src={shown.url}
          alt={`Result ${run.index + 1} of ${count}`}
          data-testid="box-result"
          data-image-id={shown.imageId}
        />
      ) : null}
      <div className="ss-box__bar" onPointerDown={() => selectLayer(box.id)}>
        <span className="ss-box__size">
          {box.width}×{box.height}
        </span>
        {busy ? (
          <>
            <span className="ss-box__status" role="status">
              {status}
            </span>
            <button type="button" className="ss-box__button" onClick={() => void cancelBox(box.id)}>
              Cancel
            </button>
          </>
        ) : (
          <button
            type="button"
            className="ss-box__button ss-box__button--dream"
            aria-label="Dream in box"
            onClick={() => void dreamInBox(box.id)}
          >
            Dream
          </button>
        )}
        {count > 0 ? (
          <>
            <button
              type="button"
              className="ss-box__button"
              aria-label="Previous result"
              disabled={count < 2}
              onClick={() => stepResult(box.id, -1)}
            >
              <ChevronIcon size={14} left />
            </button>
            <span className="ss-box__count" data-testid="box-result-index">
              {(run?.index ?? 0) + 1} / {count}
            </span>
            <button
              type="button"
              className="ss-box__button"
              aria-label="Next result"
              disabled={count < 2}
              onClick={() => stepResult(box.id, 1)}
            >
              <ChevronIcon size={14} left={false} />
            </button>
            {!busy ? (
              <>
                <button
                  type="button"
                  className="ss-box__button ss-box__button--accept"
                  disabled={run?.accepting || run?.cannotAccept}
                  onClick={() => void acceptResult(box.id)}
                >
                  Accept
                </button>
                <button type="button" className="ss-box__button" onClick={() => discardResults(box.id)}>
                  Discard
                </button>
              </>
            ) : null}
          </>
        ) : null}
        {run?.state === 'cancelled' && count === 0 ? <span className="ss-box__status">{status}</span> : null}
      </div>
      {run && run.problems.length > 0 ? (
        <p className="ss-box__error" role="alert">
          {run.problems.join(' ')}
        </p>
      ) : null}
    </div>
  );
};

/** The dream boxes' controls and results, laid over the canvas (HTML, so they read and click like the rest). */
export const BoxOverlay = ({
  boxes,
  view,
  selectedId,
}: {
  boxes: readonly Box[];
  view: EditorView;
  selectedId: string | undefined;
}): ReactElement => (
  <div className="ss-boxes">
    {boxes.map((box) => (
      <BoxControls key={box.id} box={box} view={view} selected={box.id === selectedId} />
    ))}
  </div>
);
