import './history.css';

/**
 * History: the search over the whole library (its results held here, privately), the notice,
 * the cloud sync badge, the library's changes and the windowed list the stream uses.
 */
export { applyLibraryChange, followLibrary } from './library';
export { clearSearch, clearSearchOnDream, focusSearch, loadMoreResults, retrySearch } from './search';
export { Search, useVisibleBlocks, visibleBlocks } from './visible';
export type { SearchResults } from './searchStore';
export { HistoryNotice } from './Notice';
export { SearchBox } from './SearchBox';
export { SyncBadge } from './SyncBadge';
export { VirtualList } from './VirtualList';
