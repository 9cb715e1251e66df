import { loadMoreHistory } from './Generation';

// The history's first page is on its way before React (most of the start-up code) is even
// evaluated: main.tsx imports this module first.
void loadMoreHistory();
