import { Generations } from '../Generation';
import type { Block } from '../Generation';
import { useSearchStore } from './searchStore';
import type { SearchResults } from './searchStore';

/** The blocks the stream shows now: the search results while searching, else the history. */
export const visibleBlocks = (): Block[] => useSearchStore.getState().search?.blocks ?? Generations.get().blocks;

export const useVisibleBlocks = (): Block[] => {
  const history = Generations.use((s) => s.blocks);
  const results = useSearchStore((s) => s.search?.blocks);
  return results ?? history;
};

/** The search on screen (read-only), or undefined while the history shows. */
export const Search = {
  get: (): SearchResults | undefined => useSearchStore.getState().search,
  use: <T>(selector: (search: SearchResults | undefined) => T): T => useSearchStore((s) => selector(s.search)),
};
