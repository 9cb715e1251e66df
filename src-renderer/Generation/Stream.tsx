import { Fragment, useEffect, useRef } from 'react';
import type { ReactElement, RefObject } from 'react';
import { ServerIcon } from '../Icon';
import { loadMoreHistory } from './actions';
import { GenerationBlock, formatTime } from './Block';
import { useSidebarStore } from './sidebarStore';
import { useStreamStore } from './streamStore';

const ConfigureEndpoint = ({ onConfigure }: { onConfigure: () => void }): ReactElement => (
  <div className="ss-empty" data-testid="empty-state">
    <ServerIcon size={28} className="ss-empty__icon" />
    <h2 className="ss-empty__title">Configure a SageMaker endpoint to start</h2>
    <p className="ss-empty__text">
      Add the SDXL endpoint you deployed (SageMaker JumpStart or Stability&apos;s model package), its region and how to
      sign in.
    </p>
    <button type="button" className="ss-button ss-button--primary" onClick={onConfigure}>
      Set up an endpoint
    </button>
  </div>
);

/** Loads the next page when the bottom of the list scrolls into view. */
const useInfiniteScroll = (root: RefObject<HTMLElement | null>, sentinel: RefObject<HTMLElement | null>): void => {
  const cursor = useStreamStore((s) => s.cursor);
  const hasMore = useStreamStore((s) => s.hasMore);
  const loading = useStreamStore((s) => s.loading);
  const failed = useStreamStore((s) => s.historyError !== undefined);
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasMore || loading || failed) return;
    // A fresh observer reports the current state at once, so a short page that
    // leaves the sentinel visible loads the next page without a scroll.
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void loadMoreHistory();
      },
      { root: root.current, rootMargin: '0px 0px 600px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [root, sentinel, cursor, hasMore, loading, failed]);
};

export const Stream = ({ onConfigure }: { onConfigure: () => void }): ReactElement => {
  const blocks = useStreamStore((s) => s.blocks);
  const loading = useStreamStore((s) => s.loading);
  const hasMore = useStreamStore((s) => s.hasMore);
  const historyError = useStreamStore((s) => s.historyError);
  const models = useSidebarStore((s) => s.models);
  const root = useRef<HTMLElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  useInfiniteScroll(root, sentinel);

  const noModel = models !== undefined && models.length === 0;
  return (
    <main className="ss-main" ref={root} aria-label="Generations">
      <div className="ss-stream">
        {noModel ? <ConfigureEndpoint onConfigure={onConfigure} /> : null}
        {!noModel && blocks.length === 0 && !loading && !hasMore && !historyError ? (
          <div className="ss-empty ss-empty--quiet">
            <h2 className="ss-empty__title">Nothing here yet</h2>
            <p className="ss-empty__text">Type a prompt and press Dream. Your generations appear here, newest first.</p>
          </div>
        ) : null}
        {blocks.map((block, index) => (
          <Fragment key={block.key}>
            {index > 0 ? (
              <div className="ss-divider" aria-hidden="true">
                <span>{formatTime(block.createdAt)}</span>
              </div>
            ) : null}
            <GenerationBlock block={block} />
          </Fragment>
        ))}
        <div ref={sentinel} className="ss-sentinel" />
        {loading ? (
          <div className="ss-loading" role="status">
            <span className="ss-spinner" aria-hidden="true" />
            Loading generations…
          </div>
        ) : null}
        {historyError ? (
          <div className="ss-history-error" role="alert" data-testid="history-error">
            <span>
              Could not load generations: {historyError.message}
              {historyError.hint ? ` ${historyError.hint}` : ''}
            </span>
            <button
              type="button"
              className="ss-button"
              onClick={() => {
                useStreamStore.setState({ historyError: undefined });
                void loadMoreHistory();
              }}
            >
              Retry
            </button>
          </div>
        ) : null}
      </div>
    </main>
  );
};
