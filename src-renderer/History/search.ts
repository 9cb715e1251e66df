import { describeError } from '@stability/stablestudio-plugin';
import { blockFromImages, onDreamStart } from '../Generation';
import type { Block } from '../Generation';
import { pluginFunction } from '../Plugin';
import { useSearchStore } from './searchStore';

const pageSize = 40;
/** Long enough to skip the keystrokes of a word, short enough to feel instant. */
export const searchDebounceMs = 150;

let timer: number | undefined;
/** Each search gets a number; answers to an older one are dropped. */
let latest = 0;

const runSearch = async (query: string, cursor?: string): Promise<void> => {
  const ticket = ++latest;
  useSearchStore.setState((state) => ({
    search: {
      query,
      blocks: cursor && state.search?.query === query ? state.search.blocks : [],
      hasMore: true,
      loading: true,
      ...(cursor ? { cursor } : {}),
    },
  }));
  try {
    const page = await pluginFunction('searchStableDiffusionImages')({
      query,
      limit: pageSize,
      ...(cursor ? { exclusiveStartImageID: cursor } : {}),
    });
    if (ticket !== latest) return;
    useSearchStore.setState((state) => {
      const before = state.search?.query === query ? state.search.blocks : [];
      const known = new Set(before.map((block) => block.id));
      const fresh: Block[] = page.images.filter((batch) => !known.has(batch.id)).map((batch) => blockFromImages(batch));
      // A later page keeps the first page's notice: the results are still this computer's only.
      const notice = page.notice ?? (cursor ? state.search?.notice : undefined);
      const next = page.exclusiveStartImageID;
      return {
        search: {
          query,
          blocks: [...before, ...fresh],
          hasMore: next !== undefined,
          loading: false,
          ...(next ? { cursor: next } : {}),
          ...(notice ? { notice } : {}),
        },
      };
    });
  } catch (error) {
    if (ticket !== latest) return;
    useSearchStore.setState((state) => ({
      search: {
        query,
        blocks: state.search?.blocks ?? [],
        hasMore: false,
        loading: false,
        error: describeError(error),
      },
    }));
  }
};

/** The search box changed: search a moment later, or go back to the history when it is empty. */
export const setSearchText = (text: string): void => {
  useSearchStore.setState({ searchText: text });
  window.clearTimeout(timer);
  const query = text.trim();
  if (query === '') {
    latest++;
    useSearchStore.setState({ search: undefined });
    return;
  }
  timer = window.setTimeout(() => void runSearch(query), searchDebounceMs);
};

export const clearSearch = (): void => setSearchText('');

/** The next page of the current search, when there is one. */
export const loadMoreResults = (): void => {
  const search = useSearchStore.getState().search;
  if (!search || search.loading || !search.hasMore || !search.cursor) return;
  void runSearch(search.query, search.cursor);
};

/** Run the current search again (after an error). */
export const retrySearch = (): void => {
  const search = useSearchStore.getState().search;
  if (search) void runSearch(search.query, search.cursor);
};

let focusRequest: (() => void) | undefined;

/** The search box registers how to focus it; the shortcut and the palette call focusSearch. */
export const registerSearchFocus = (focus: (() => void) | undefined): void => {
  focusRequest = focus;
};

export const focusSearch = (): void => focusRequest?.();

/** A Dream while searching shows the stream again, where its generation appears. Returns the unsubscribe. */
export const clearSearchOnDream = (): (() => void) =>
  onDreamStart(() => {
    if (useSearchStore.getState().search) clearSearch();
  });
