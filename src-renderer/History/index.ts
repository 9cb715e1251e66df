import './history.css';

export { followLibrary, isDesktop, retrySync, uploadToCloud } from './library';
export { clearSearch, clearSearchOnDream, focusSearch, loadMoreResults, retrySearch } from './search';
export { reloadHistory } from './reload';
export { HistoryNotice } from './Notice';
export { SearchBox } from './SearchBox';
export { SyncBadge } from './SyncBadge';
export { VirtualList } from './VirtualList';
