import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import { CloseIcon, SearchIcon } from '../Icon';
import { clearSearch, registerSearchFocus, setSearchText } from './search';
import { useSearchStore } from './searchStore';

/** Filters the stream by prompt text across the whole library; Escape clears. */
export const SearchBox = (): ReactElement => {
  const text = useSearchStore((s) => s.searchText);
  const loading = useSearchStore((s) => s.search?.loading ?? false);
  const found = useSearchStore((s) => (s.search && !s.search.loading ? s.search.blocks.length : undefined));
  const more = useSearchStore((s) => s.search?.hasMore ?? false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    registerSearchFocus(() => {
      input.current?.focus();
      input.current?.select();
    });
    return () => registerSearchFocus(undefined);
  }, []);

  return (
    <div className="ss-search" role="search">
      <SearchIcon size={15} className="ss-search__icon" />
      <input
        ref={input}
        type="text"
        className="ss-search__input"
        aria-label="Search prompts"
        placeholder="Search prompts"
        autoComplete="off"
        spellCheck={false}
        value={text}
        onChange={(event) => setSearchText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          event.preventDefault();
          event.stopPropagation();
          if (text === '') input.current?.blur();
          else clearSearch();
        }}
      />
      {loading ? <span className="ss-spinner ss-search__spinner" aria-hidden="true" /> : null}
      {text !== '' ? (
        <button
          type="button"
          className="ss-icon-button ss-search__clear"
          aria-label="Clear search"
          title="Clear search (Esc)"
          onClick={() => {
            clearSearch();
            input.current?.focus();
          }}
        >
          <CloseIcon size={13} />
        </button>
      ) : null}
      <kbd className="ss-search__key" aria-hidden="true">
        /
      </kbd>
      {found !== undefined ? (
        <span className="ss-search__count" role="status" data-testid="search-count">
          {found === 0
            ? 'No match'
            : `${found}${more ? '+' : ''} ${found === 1 && !more ? 'generation' : 'generations'}`}
        </span>
      ) : null}
    </div>
  );
};
