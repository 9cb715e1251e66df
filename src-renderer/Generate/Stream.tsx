import { memo, useEffect, useMemo, useRef } from 'react';
import type { ReactElement, RefObject } from 'react';
import { ServerIcon } from '../Icon';
import { panelId } from '../Edit';
import { Form, Generations, loadMoreHistory, retryHistory } from '../Generation';
import type { Block } from '../Generation';
import {
  HistoryNotice,
  Search,
  SearchBox,
  VirtualList,
  clearSearch,
  clearSearchOnDream,
  loadMoreResults,
  retrySearch,
} from '../History';
import { GenerationBlock } from './Block';

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

interface Row {
  block: Block;
  /** Set on the first generation of a day: the divider above it. */
  day?: string;
}

const dayKey = (date: Date): string => `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const dayYearFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
  year: 'numeric',
});

const dayLabel = (date: Date, now: Date): string => {
  const today = dayKey(now);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (dayKey(date) === today) return 'Today';
  if (dayKey(date) === dayKey(yesterday)) return 'Yesterday';
  return (date.getFullYear() === now.getFullYear() ? dayFormat : dayYearFormat).format(date);
};

const rowsOf = (blocks: Block[]): Row[] => {
  const now = new Date();
  let previous = '';
  return blocks.map((block) => {
    const key = dayKey(block.createdAt);
    const row: Row = key === previous ? { block } : { block, day: dayLabel(block.createdAt, now) };
    previous = key;
    return row;
  });
};

const rowKey = (row: Row): string => (row.day ? `${row.block.key}|day` : row.block.key);

/** Mirrors generation.css: header, a 4-column grid (2 on narrow windows), 12 px gaps, day divider. */
const estimateRow = (row: Row, width: number): number => {
  const { block } = row;
  const columns = window.innerWidth <= 900 ? 2 : 4;
  const gap = 12;
  const cell = ((width || 1000) - gap * (columns - 1)) / columns;
  const ratio = (block.input.height ?? 1024) / (block.input.width ?? 1024);
  const lines = Math.ceil(block.slots.length / columns);
  let height = 50 + (lines > 0 ? lines * cell * ratio + (lines - 1) * gap : 0);
  if (block.error || block.slots.some((slot) => slot.state === 'failed')) height += 46;
  if (row.day) height += 36;
  return height;
};

const StreamRow = memo(function StreamRow({ row }: { row: Row }): ReactElement {
  return (
    <>
      {row.day ? (
        <div className="ss-divider ss-day" role="separator" aria-label={row.day}>
          <span>{row.day}</span>
        </div>
      ) : null}
      <GenerationBlock block={row.block} />
    </>
  );
});

const renderRow = (row: Row): ReactElement => <StreamRow row={row} />;

/** Loads the next page when the bottom of the list comes near the viewport. */
const useInfiniteScroll = (root: RefObject<HTMLElement | null>, sentinel: RefObject<HTMLElement | null>): void => {
  const search = Search.use((s) => s);
  const history = Generations.use((s) => s);
  const searching = search !== undefined;
  const cursor = search ? search.cursor : history.cursor;
  const hasMore = search ? search.hasMore : history.hasMore;
  const loading = search ? search.loading : history.loading;
  const failed = (search ? search.error : history.historyError) !== undefined;
  const count = search ? search.blocks.length : history.blocks.length;
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasMore || loading || failed) return;
    // A fresh observer reports the current state at once, so a short page that
    // leaves the sentinel visible loads the next page without a scroll.
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        if (searching) loadMoreResults();
        else void loadMoreHistory();
      },
      { root: root.current, rootMargin: '0px 0px 1200px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [root, sentinel, searching, cursor, hasMore, loading, failed, count]);
};

const SearchStatus = (): ReactElement | null => {
  const search = Search.use((s) => s);
  if (!search) return null;
  if (search.error) {
    return (
      <div className="ss-history-error" role="alert" data-testid="search-error">
        <span>
          Search failed: {search.error.message}
          {search.error.hint ? ` ${search.error.hint}` : ''}
        </span>
        <button type="button" className="ss-button" onClick={retrySearch}>
          Retry
        </button>
      </div>
    );
  }
  if (search.loading || search.blocks.length > 0) return null;
  return (
    <div className="ss-empty ss-empty--quiet" role="status" data-testid="search-empty">
      <h2 className="ss-empty__title">No generation matches “{search.query}”</h2>
      <p className="ss-empty__text">The search looks for every word in prompts and negative prompts.</p>
      <button type="button" className="ss-button" onClick={clearSearch}>
        Clear search
      </button>
    </div>
  );
};

export const Stream = ({ onConfigure }: { onConfigure: () => void }): ReactElement => {
  const history = Generations.use((s) => s.blocks);
  const search = Search.use((s) => s);
  const loading = Generations.use((s) => s.loading);
  const hasMore = Generations.use((s) => s.hasMore);
  const historyError = Generations.use((s) => s.historyError);
  const models = Form.use((s) => s.models);
  const root = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  useInfiniteScroll(root, sentinel);

  const blocks = search ? search.blocks : history;
  const rows = useMemo(() => rowsOf(blocks), [blocks]);

  useEffect(clearSearchOnDream, []);

  // A new search starts at the top.
  const query = search?.query;
  useEffect(() => {
    if (root.current) root.current.scrollTop = 0;
  }, [query]);

  const noModel = models !== undefined && models.length === 0;
  const listLoading = search ? search.loading : loading;
  return (
    <main className="ss-main ss-stream-main" aria-label="Generations" id={panelId('generate')}>
      <div className="ss-streambar">
        <SearchBox />
      </div>
      <HistoryNotice />
      <div className="ss-stream-scroll" ref={root} data-testid="stream-scroll">
        <div className="ss-stream">
          {noModel && !search ? <ConfigureEndpoint onConfigure={onConfigure} /> : null}
          {!noModel && !search && history.length === 0 && !loading && !hasMore && !historyError ? (
            <div className="ss-empty ss-empty--quiet">
              <h2 className="ss-empty__title">Nothing here yet</h2>
              <p className="ss-empty__text">
                Type a prompt and press Dream. Your generations appear here, newest first.
              </p>
            </div>
          ) : null}
          <SearchStatus />
          <VirtualList
            items={rows}
            itemKey={rowKey}
            estimate={estimateRow}
            renderItem={renderRow}
            scrollRoot={root}
            className="ss-stream-list"
          />
          <div ref={sentinel} className="ss-sentinel" />
          {listLoading ? (
            <div className="ss-loading" role="status">
              <span className="ss-spinner" aria-hidden="true" />
              {search ? 'Searching…' : 'Loading generations…'}
            </div>
          ) : null}
          {historyError && !search ? (
            <div className="ss-history-error" role="alert" data-testid="history-error">
              <span>
                Could not load generations: {historyError.message}
                {historyError.hint ? ` ${historyError.hint}` : ''}
              </span>
              <button type="button" className="ss-button" onClick={retryHistory}>
                Retry
              </button>
            </div>
          ) : null}
        </div>
      </div>
    </main>
  );
};
