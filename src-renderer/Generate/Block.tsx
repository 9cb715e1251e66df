import { memo, useEffect, useRef, useState } from 'react';
import type { CSSProperties, ReactElement } from 'react';
import { AlertIcon, DownloadIcon, ReuseIcon, TrashIcon } from '../Icon';
import { SyncBadge } from '../History';
import {
  ImageActions,
  deleteGeneration,
  describeDrag,
  dragOut,
  openImage,
  reuseBlock,
  saveAll,
  useDesktop,
  useImageProblem,
} from '../Viewer';
import type { ImageTarget } from '../Viewer';
import type { Block, ErrorInfo, Slot } from '../Generation';

const useElapsed = (startedAt: number): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 100);
    return () => window.clearInterval(timer);
  }, []);
  return Math.max(0, now - startedAt) / 1000;
};

const Placeholder = ({
  startedAt,
  style,
  progress,
}: {
  startedAt: number;
  style: CSSProperties;
  progress?: string | undefined;
}): ReactElement => {
  const seconds = useElapsed(startedAt);
  return (
    <div className="ss-cell ss-placeholder" style={style} data-testid="image-placeholder" aria-busy="true">
      {progress ? (
        <span className="ss-placeholder__progress" data-testid="image-progress" role="status">
          {progress}
        </span>
      ) : null}
      <span className="ss-placeholder__time">{seconds.toFixed(1)}s</span>
    </div>
  );
};

/** The badge of an edit: what it made from what (text-to-image generations have none). */
const kindLabels: Record<string, string> = {
  img2img: 'Image to image',
  inpaint: 'Inpaint',
  outpaint: 'Outpaint',
  upscale: 'Upscale ×4',
};

const KindBadge = ({ block }: { block: Block }): ReactElement | null => {
  const kind = block.input.kind ?? (block.input.initialImage ? 'img2img' : undefined);
  const label = kind ? kindLabels[kind] : undefined;
  if (!label) return null;
  return (
    <span className={`ss-kind-badge ss-kind-badge--${kind}`} data-testid="kind-badge">
      {label}
    </span>
  );
};

const failedLabel = (slot: Extract<Slot, { state: 'failed' }>): string => {
  if (slot.image.error?.code === 'cancelled') return 'Cancelled';
  if (slot.image.finishReason === 'CONTENT_FILTERED') return 'Filtered';
  return 'Failed';
};

const ImageCell = ({
  target,
  style,
  position,
}: {
  target: ImageTarget;
  style: CSSProperties;
  /** "image 2 of 4": told with the prompt, so each image has its own name. */
  position: string;
}): ReactElement => {
  const desktop = useDesktop();
  const { image, block } = target;
  const width = image.input?.width ?? block.input.width;
  const height = image.input?.height ?? block.input.height;
  const seed = image.input?.seed;
  const open = (): void => openImage(image.id);
  const [problem, onError] = useImageProblem(image.thumbSrc ?? image.src);
  return (
    <figure className="ss-cell ss-image" style={style} data-image-id={image.id}>
      {problem ? (
        // Said in place, with the image's actions still at hand (delete it, reuse its parameters).
        <div className="ss-image__problem" data-testid="image-problem" role="img" aria-label={problem}>
          <AlertIcon size={18} />
          <span>{problem}</span>
        </div>
      ) : (
        <img
          data-testid="generation-image"
          src={image.thumbSrc ?? image.src}
          alt={`${block.prompt} (${position})`}
          // Not loading="lazy": the list renders only rows near the viewport, and lazy images
          // wait for a layout before they are even asked for.
          decoding="async"
          draggable
          onClick={open}
          onDragStart={(event) => {
            if (desktop) {
              event.preventDefault();
              dragOut(target);
            } else describeDrag(target, event.dataTransfer);
          }}
          {...(width && height ? { width, height } : {})}
          onError={onError}
        />
      )}
      <ImageActions target={target} onOpen={open} className="ss-image__actions" position={position} />
      {seed ? (
        <span className="ss-image__seed" aria-hidden="true">
          Seed {seed}
        </span>
      ) : null}
    </figure>
  );
};

const Cell = ({
  slot,
  block,
  style,
  index,
}: {
  slot: Slot;
  block: Block;
  style: CSSProperties;
  index: number;
}): ReactElement => {
  if (slot.state === 'pending')
    return <Placeholder startedAt={block.startedAt} style={style} progress={slot.progress} />;
  if (slot.state === 'failed') {
    const reason = [slot.image.error?.message, slot.image.error?.hint].filter(Boolean).join(' ');
    return (
      <div className="ss-cell ss-cell--failed" style={style} data-testid="image-failed" title={reason}>
        <AlertIcon size={18} />
        <span>{failedLabel(slot)}</span>
      </div>
    );
  }
  const position = `image ${index + 1} of ${block.slots.length}`;
  return <ImageCell target={{ block, image: slot.image }} style={style} position={position} />;
};

interface ErrorGroup {
  error: ErrorInfo;
  /** How many images failed this way (0 for a whole-request failure). */
  images: number;
}

/**
 * Failure reasons of a block, one per code and hint: per-image messages of the
 * same failure differ only in request IDs. Cancellation is not an error.
 */
const errorsOf = (block: Block): ErrorGroup[] => {
  const groups = new Map<string, ErrorGroup>();
  if (block.error) groups.set('request', { error: block.error, images: 0 });
  for (const slot of block.slots) {
    const error = slot.state === 'failed' ? slot.image.error : undefined;
    if (!error || error.code === 'cancelled') continue;
    const key = `${error.code}\u0000${error.hint ?? ''}`;
    const group = groups.get(key);
    if (group) group.images += 1;
    else groups.set(key, { error, images: 1 });
  }
  return [...groups.values()];
};

const wasCancelled = (block: Block): boolean =>
  block.slots.some((slot) => slot.state === 'failed' && slot.image.error?.code === 'cancelled');

/** What a cancel says: how far it got, when the work said (a tiled upscale), else just that. */
const cancelNote = (block: Block): string => {
  for (const slot of block.slots) {
    const error = slot.state === 'failed' ? slot.image.error : undefined;
    if (error?.code === 'cancelled' && error.message !== 'Cancelled.') return error.message;
  }
  return 'Cancelled';
};

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatTime = (date: Date): string => timeFormat.format(date);

/** "Delete generation" asks once more, in place; Escape or "Keep" backs out. */
const DeleteGeneration = ({ block }: { block: Block }): ReactElement => {
  const [confirming, setConfirming] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirm.current?.focus();
  }, [confirming]);
  const images = block.slots.filter((slot) => slot.state === 'ready').length;
  if (!confirming) {
    return (
      <button
        ref={trigger}
        type="button"
        className="ss-icon-button"
        aria-label="Delete generation"
        title="Delete generation"
        disabled={block.running || !block.id}
        onClick={() => setConfirming(true)}
      >
        <TrashIcon size={16} />
      </button>
    );
  }
  const back = (): void => {
    setConfirming(false);
    window.requestAnimationFrame(() => trigger.current?.focus());
  };
  return (
    <span
      className="ss-confirm"
      role="group"
      aria-label="Confirm delete"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          back();
        }
      }}
    >
      <span className="ss-confirm__text">Delete {images === 1 ? 'this image' : `these ${images} images`}?</span>
      <button
        ref={confirm}
        type="button"
        className="ss-button ss-button--danger ss-confirm__button"
        onClick={() => void deleteGeneration(block)}
      >
        Delete
      </button>
      <button type="button" className="ss-button ss-button--ghost ss-confirm__button" onClick={back}>
        Keep
      </button>
    </span>
  );
};

const GenerationBlockView = ({ block }: { block: Block }): ReactElement => {
  const errors = errorsOf(block);
  const width = block.input.width ?? 1024;
  const height = block.input.height ?? 1024;
  const cellStyle: CSSProperties = { aspectRatio: `${width} / ${height}` };
  const done = block.slots.filter((slot) => slot.state !== 'pending').length;
  const ready = block.slots.some((slot) => slot.state === 'ready');
  return (
    <article
      className="ss-generation"
      data-testid="generation"
      data-generation-id={block.id}
      aria-busy={block.running}
      aria-label={block.prompt}
    >
      <header className="ss-generation__header">
        <h3 className="ss-generation__prompt" title={block.prompt}>
          {block.prompt}
        </h3>
        <button
          type="button"
          className="ss-icon-button ss-generation__reuse"
          aria-label="Reuse prompt"
          title="Reuse prompt and settings"
          onClick={() => reuseBlock(block)}
        >
          <ReuseIcon size={16} />
        </button>
        <span className="ss-generation__meta">
          <KindBadge block={block} />
          {block.sync && block.id ? <SyncBadge sync={block.sync} generationId={block.id} /> : null}
          {block.running ? (
            <span className="ss-generation__progress">
              {block.input.kind === 'upscale' ? 'Upscaling…' : 'Dreaming…'} {done}/{block.slots.length}
            </span>
          ) : (
            <time dateTime={block.createdAt.toISOString()} title={dateTimeFormat.format(block.createdAt)}>
              {formatTime(block.createdAt)}
            </time>
          )}
        </span>
        <span className="ss-generation__tools">
          <button
            type="button"
            className="ss-icon-button"
            aria-label="Download all"
            title="Download all (PNG with parameters)"
            disabled={!ready}
            onClick={() => void saveAll(block)}
          >
            <DownloadIcon size={16} />
          </button>
          <DeleteGeneration block={block} />
        </span>
      </header>
      {errors.length > 0 ? (
        <div className="ss-generation__error" role="alert" data-testid="generation-error">
          <AlertIcon size={16} className="ss-generation__error-icon" />
          <div>
            {errors.map(({ error, images }) => (
              <p key={`${error.code}|${error.hint ?? ''}|${images === 0 ? 'request' : 'images'}`}>
                {images > 1 ? <span className="ss-generation__error-count">{images} images: </span> : null}
                <span className="ss-generation__error-message">{error.message}</span>
                {error.hint ? <span className="ss-generation__error-hint"> {error.hint}</span> : null}
              </p>
            ))}
          </div>
        </div>
      ) : null}
      {errors.length === 0 && !block.running && wasCancelled(block) ? (
        <p className="ss-generation__note" role="status" data-testid="generation-cancelled">
          {cancelNote(block)}
        </p>
      ) : null}
      {block.slots.length > 0 ? (
        <div className="ss-grid">
          {block.slots.map((slot, index) => (
            <Cell
              key={slot.state === 'pending' ? `pending-${index}` : slot.image.id}
              slot={slot}
              block={block}
              index={index}
              style={cellStyle}
            />
          ))}
        </div>
      ) : null}
    </article>
  );
};

/** One generation: its prompt with reuse, download and delete, then its images (or why they are missing). */
export const GenerationBlock = memo(GenerationBlockView);
