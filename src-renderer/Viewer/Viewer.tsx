import { useEffect, useMemo, useRef } from 'react';
import { useModal } from '../Modal';
import type { KeyboardEvent, ReactElement } from 'react';
import { describeError, negativePromptOf } from '@stability/stablestudio-plugin';
import { withHint } from '../../src-shared/errors';
import { CloseIcon } from '../Icon';
import { Form, loadMoreHistory } from '../Generation';
import { Search, loadMoreResults, useVisibleBlocks } from '../History';
import { ArrowIcon } from './icons';
import { ImageActions, useDesktop } from './ImageActions';
import { useImageProblem } from './imageProblem';
import { describeDrag, dragOut } from './actions';
import type { ImageTarget, Reporter } from './actions';
import { closeViewer, imagesOf, openImage, setViewerStatus, useViewerStore } from './store';

const reporter: Reporter = {
  info: (title, message) => setViewerStatus({ tone: 'info', title, ...(message ? { message } : {}) }),
  error: (title, error) => {
    setViewerStatus({ tone: 'error', title, message: withHint(describeError(error)) });
  },
};

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const styleName = (id: string): string =>
  id
    .split('-')
    .map((word) => (word === '3d' ? '3D' : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');

const kindNames: Record<string, string> = {
  txt2img: 'Text to image',
  img2img: 'Image to image',
  inpaint: 'Inpaint',
  outpaint: 'Outpaint',
  upscale: 'Upscale ×4',
};

const Parameters = ({ target }: { target: ImageTarget }): ReactElement => {
  const models = Form.use((s) => s.models);
  const input = target.image.input ?? target.block.input;
  const modelName = models?.find((m) => m.id === input.model)?.name ?? input.model ?? '';
  const rows: Array<[string, string, string?]> = [
    ['Model', modelName || 'Default'],
    ['Sampler', input.sampler?.name || input.sampler?.id || 'Model default'],
    ['CFG scale', String(input.cfgScale ?? '')],
    ['Steps', String(input.steps ?? '')],
    ['Size', input.width && input.height ? `${input.width} × ${input.height}` : ''],
    ['Style', input.style ? styleName(input.style) : 'None'],
  ];
  const kind = input.kind ?? (input.initialImage ? 'img2img' : 'txt2img');
  rows.push(['Kind', kindNames[kind] ?? kind, 'viewer-kind']);
  const ref = input.initialImage?.ref;
  if (ref && input.width && input.height) {
    // An upscale's image is four times its source; the other edits keep their source's size.
    const factor = kind === 'upscale' ? 4 : 1;
    const size = `${input.width / factor} × ${input.height / factor}`;
    const from = ref.kind === 'library' ? 'an image of the history' : 'an image brought in';
    rows.push(['Source', `${size}, ${from}`, 'viewer-source']);
  }
  const strength = input.initialImage?.weight;
  if (input.initialImage && strength !== undefined && (kind === 'img2img' || kind === 'inpaint' || kind === 'outpaint'))
    rows.push(['Image strength', `${Math.round(strength * 100)}%`]);
  rows.push(['Seed', String(input.seed ?? ''), 'viewer-seed']);
  const sources = target.block.sources;
  return (
    <dl className="ss-viewer__params">
      {rows.map(([name, value, testId]) => (
        <div key={name} className={`ss-viewer__param${testId ? ' ss-viewer__param--wide' : ''}`}>
          <dt>{name}</dt>
          <dd data-testid={testId}>{value}</dd>
        </div>
      ))}
      {sources ? (
        <div className="ss-viewer__param ss-viewer__param--wide">
          <dt>{sources.maskSrc ? 'Source and mask' : 'Source image'}</dt>
          <dd className="ss-viewer__sources">
            <img src={sources.src} alt="Source image" data-testid="viewer-source-image" />
            {sources.maskSrc ? <img src={sources.maskSrc} alt="Mask" /> : null}
          </dd>
        </div>
      ) : null}
    </dl>
  );
};

const Status = (): ReactElement => {
  const status = useViewerStore((s) => s.status);
  useEffect(() => {
    if (!status) return;
    const timer = window.setTimeout(() => {
      if (useViewerStore.getState().status?.id === status.id) setViewerStatus(undefined);
    }, 6000);
    return () => window.clearTimeout(timer);
  }, [status]);
  return (
    <p className={`ss-viewer__status${status?.tone === 'error' ? ' ss-viewer__status--error' : ''}`} role="status">
      {status ? (
        <>
          <strong>{status.title}</strong>
          {status.message ? ` ${status.message}` : ''}
        </>
      ) : null}
    </p>
  );
};

/** The large view: the full image, every parameter and the real seed; arrows step, Escape closes. */
export const Viewer = (): ReactElement | null => {
  const imageId = useViewerStore((s) => s.imageId);
  const blocks = useVisibleBlocks();
  const searching = Search.use((search) => search !== undefined);
  const desktop = useDesktop();
  const targets = useMemo(() => imagesOf(blocks), [blocks]);
  const openings = useViewerStore((s) => s.openings);
  const open = imageId !== undefined;
  const dialog = useRef<HTMLDialogElement>(null);
  const modal = useModal(dialog, open, openings, closeViewer);

  const index = targets.findIndex((t) => t.image.id === imageId);
  const target = targets[index];

  // Near the end of what is loaded, fetch the next page so stepping never runs dry.
  useEffect(() => {
    if (!open || index < 0 || index < targets.length - 5) return;
    if (searching) loadMoreResults();
    else void loadMoreHistory();
  }, [open, index, targets.length, searching]);

  // A nav button that turns disabled under focus (the first or last image) would drop focus to
  // <body>, where the arrows no longer reach the dialog: hand it to the other button, or the dialog.
  useEffect(() => {
    const element = dialog.current;
    if (!open || !element) return;
    const focused = document.activeElement;
    const stranded =
      focused === document.body ||
      (focused instanceof HTMLButtonElement && focused.disabled && element.contains(focused));
    if (!stranded) return;
    const other = element.querySelector<HTMLButtonElement>('.ss-viewer__nav:not(:disabled)');
    (other ?? element).focus();
  }, [open, index]);

  const step = (delta: number): void => {
    const next = targets[index + delta];
    if (next) openImage(next.image.id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>): void => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
    // In the details, up and down scroll them, as anywhere else.
    const inDetails = event.target instanceof Element && event.target.closest('.ss-viewer__scroll') !== null;
    if (inDetails && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) return;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') {
      event.preventDefault();
      step(-1);
    } else if (event.key === 'ArrowRight' || event.key === 'ArrowDown') {
      event.preventDefault();
      step(1);
    } else if (event.key === 'Home') {
      event.preventDefault();
      if (targets[0]) openImage(targets[0].image.id);
    } else if (event.key === 'End') {
      event.preventDefault();
      const last = targets.at(-1);
      if (last) openImage(last.image.id);
    }
  };

  const input = target ? (target.image.input ?? target.block.input) : undefined;
  const negative = negativePromptOf(input);
  const [problem, onError] = useImageProblem(target?.image.src);
  const createdAt = target?.image.createdAt ?? target?.block.createdAt;

  return (
    <dialog
      ref={dialog}
      className="ss-modal ss-viewer"
      aria-label="Image"
      tabIndex={-1}
      onCancel={modal.onCancel}
      onClose={modal.onClose}
      onKeyDown={onKeyDown}
    >
      {open && target ? (
        <>
          <div className="ss-viewer__stage">
            <button
              type="button"
              className="ss-viewer__nav ss-viewer__nav--prev"
              aria-label="Previous image"
              title="Previous image (←)"
              disabled={index <= 0}
              onClick={() => step(-1)}
            >
              <ArrowIcon direction="left" size={22} />
            </button>
            {problem ? (
              <div className="ss-viewer__problem" data-testid="viewer-problem" role="img" aria-label={problem}>
                {problem}
              </div>
            ) : (
              <img
                onError={onError}
                key={target.image.id}
                className="ss-viewer__image"
                data-testid="viewer-image"
                src={target.image.src}
                alt={`${target.block.prompt} (image ${index + 1} of ${targets.length})`}
                width={input?.width}
                height={input?.height}
                style={target.image.thumbSrc ? { backgroundImage: `url("${target.image.thumbSrc}")` } : undefined}
                draggable
                onDragStart={(event) => {
                  if (desktop) {
                    event.preventDefault();
                    dragOut(target, reporter);
                  } else describeDrag(target, event.dataTransfer);
                }}
              />
            )}
            <button
              type="button"
              className="ss-viewer__nav ss-viewer__nav--next"
              aria-label="Next image"
              title="Next image (→)"
              disabled={index >= targets.length - 1}
              onClick={() => step(1)}
            >
              <ArrowIcon direction="right" size={22} />
            </button>
          </div>
          <aside className="ss-viewer__panel">
            <header className="ss-viewer__head">
              <span className="ss-viewer__count" data-testid="viewer-position">
                {index + 1} / {targets.length}
              </span>
              <button
                type="button"
                className="ss-icon-button"
                aria-label="Close"
                title="Close (Esc)"
                onClick={closeViewer}
                autoFocus
              >
                <CloseIcon size={16} />
              </button>
            </header>
            <div className="ss-viewer__scroll" tabIndex={0} role="region" aria-label="Image details">
              <h2 className="ss-viewer__prompt" data-testid="viewer-prompt">
                {target.block.prompt}
              </h2>
              {negative ? (
                <p className="ss-viewer__negative" data-testid="viewer-negative">
                  <span className="ss-viewer__label">Negative prompt</span>
                  {negative}
                </p>
              ) : null}
              <Parameters target={target} />
              {createdAt ? (
                <p className="ss-viewer__date">
                  <time dateTime={createdAt.toISOString()}>{dateFormat.format(createdAt)}</time>
                </p>
              ) : null}
            </div>
            <ImageActions
              target={target}
              report={reporter}
              labelled
              className="ss-viewer__actions"
              onBeforeDelete={() => {
                const neighbour = targets[index + 1] ?? targets[index - 1];
                if (neighbour) openImage(neighbour.image.id);
                else closeViewer();
              }}
              onVariations={closeViewer}
            />
            <Status />
          </aside>
        </>
      ) : open ? (
        <div className="ss-viewer__gone">
          <p>This image is no longer in the library.</p>
          <button type="button" className="ss-button" onClick={closeViewer} autoFocus>
            Close
          </button>
        </div>
      ) : null}
    </dialog>
  );
};
