import { create } from 'zustand';
import type { Block, ErrorInfo } from '../Generation';

/** Results of a prompt search, paged like the history. */
export interface SearchResults {
  query: string;
  blocks: Block[];
  cursor?: string;
  hasMore: boolean;
  loading: boolean;
  error?: ErrorInfo;
  /** Said when the results are not what was asked for (the cloud is unreachable: this computer's only). */
  notice?: string;
}

export interface SearchState {
  /** What the search box holds (the search runs a moment later). */
  searchText: string;
  /** Present while a search is shown instead of the history. */
  search?: SearchResults;
}

export const useSearchStore = create<SearchState>()(() => ({ searchText: '' }));
